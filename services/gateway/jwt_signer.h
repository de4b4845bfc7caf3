#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grassroots::gateway {

// The claims the gateway reads from a bearer token (see jwt_verifier.h).
struct JwtClaims {
  std::string issuer;
  std::string audience;
  std::string subject;
  std::vector<std::string> roles;
  std::string jurisdiction;
  absl::Time not_before = absl::InfinitePast();  // omitted when infinite
  absl::Time expires;
};

// Issues compact JWS tokens: for operators and demos (`grassroots-cli
// jwt`), and for tests. Real deployments take tokens from their identity
// provider; the gateway only verifies them.
absl::StatusOr<std::string> SignJwtHs256(const JwtClaims& claims, const std::string& secret);
absl::StatusOr<std::string> SignJwtRs256(const JwtClaims& claims,
                                         const std::string& private_key_pem);

// The claims as the token's JSON payload (exposed for tests that tamper).
std::string JwtPayloadJson(const JwtClaims& claims);

}  // namespace grassroots::gateway
