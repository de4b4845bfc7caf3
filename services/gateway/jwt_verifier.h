#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "grassroots/common/v1/principal.pb.h"

namespace grassroots::gateway {

struct JwtSettings {
  // Both required whenever a key is configured.
  std::string issuer;
  std::string audience;
  // Shared secret for HS256 tokens; empty disables HS256.
  std::string hs256_secret;
  // PEM public key for RS256 tokens; empty disables RS256.
  std::string rs256_public_key_pem;
  // Clock skew allowed on exp and nbf.
  absl::Duration leeway = absl::Seconds(30);
};

// Bearer tokens of app back ends: compact JWS (RFC 7515/7519), HS256 or
// RS256, with exp, nbf, iss and aud checked. The claims become the principal:
//   sub          -> id (required)
//   roles        -> roles (array of strings)
//   jurisdiction -> scope path (required; "" is the whole city)
// The algorithm is taken from the key the gateway holds, never trusted from
// the token's header: an RS256 public key is never used as an HMAC secret,
// and "none" is refused.
class JwtVerifier {
 public:
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> Create(JwtSettings settings,
                                                             const Clock& clock);
  ~JwtVerifier();

  bool enabled() const { return !settings_.hs256_secret.empty() || public_key_ != nullptr; }

  // The principal (without expiry) the token stands for. Failures are
  // UNAUTHENTICATED with a reason (TOKEN_EXPIRED, TOKEN_SIGNATURE_INVALID, ...)
  // meant for the gateway's log; callers are shown one message for all.
  // Verified tokens are remembered until they expire, so a busy app pays for
  // one signature check, not one a call.
  absl::StatusOr<common::v1::Principal> Verify(absl::string_view token) const;

 private:
  JwtVerifier(JwtSettings settings, const Clock& clock)
      : settings_(std::move(settings)), clock_(clock) {}
  absl::StatusOr<common::v1::Principal> VerifyUncached(absl::string_view token,
                                                       absl::Time* expires) const;
  absl::Status CheckSignature(absl::string_view algorithm, absl::string_view signed_part,
                              absl::string_view signature) const;

  const JwtSettings settings_;
  const Clock& clock_;
  EVP_PKEY* public_key_ = nullptr;

  struct Verified {
    common::v1::Principal principal;
    absl::Time expires;
  };
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Verified> verified_ ABSL_GUARDED_BY(mu_);
};

}  // namespace grassroots::gateway
