#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grassroots/common/v1/principal.pb.h"
#include "services/gateway/api_keys.h"
#include "services/gateway/jwt_verifier.h"
#include "services/gateway/method_table.h"
#include "services/gateway/rate_limiter.h"

namespace grassroots::gateway {

// What a caller presented, from gRPC metadata or HTTP headers alike.
struct Credentials {
  absl::string_view api_key;        // "x-api-key"
  absl::string_view authorization;  // "authorization: Bearer <JWT>"
  // Common name of a client certificate the TLS layer verified (mutual TLS).
  absl::string_view certificate_name;
};

struct Admission {
  const GatewayMethod* method = nullptr;
  common::v1::Principal principal;
};

// The checks every call passes before it is forwarded, the same for the
// gRPC and the JSON edge, in this order: the method exists and is routed
// (UNIMPLEMENTED), the caller is authenticated by API key, bearer token or,
// when it presents neither, its client certificate (UNAUTHENTICATED), is within its rate
// (RESOURCE_EXHAUSTED with retry_after_seconds), and holds a role the method declares
// (PERMISSION_DENIED).
class CallGate {
 public:
  CallGate(MethodTable& methods, ApiKeys& keys, const JwtVerifier& tokens, RateLimiter& limiter)
      : methods_(methods), keys_(keys), tokens_(tokens), limiter_(limiter) {}

  // Fills `admission` as far as the checks get (the method as soon as it is
  // known, for the access log). Every authentication failure gets one and
  // the same message, so a caller learns nothing that helps guessing;
  // `log_note` receives the precise cause for the gateway's own log.
  absl::Status Admit(absl::string_view path, const Credentials& credentials, Admission* admission,
                     std::string* log_note);

 private:
  absl::StatusOr<common::v1::Principal> Authenticate(const Credentials& credentials,
                                                     std::string* log_note);

  MethodTable& methods_;
  ApiKeys& keys_;
  const JwtVerifier& tokens_;
  RateLimiter& limiter_;
};

}  // namespace grassroots::gateway
