#pragma once

#include <grpcpp/support/status.h>

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace grassroots::gateway {

// The Connect protocol's unary form (connectrpc.com/docs/protocol): the
// pieces that do not depend on the HTTP library.

// "not_found" for NOT_FOUND, and so on.
const char* ConnectCodeName(grpc::StatusCode code);

// Connect's HTTP status for a code: 400, 401, 403, 404, 409, 429, 499, 500,
// 501, 503, 504.
int ConnectHttpStatus(grpc::StatusCode code);

// The error body {"code":"...","message":"...","details":[...]}. Each
// detail of the status (grassroots.common.v1.ErrorInfo) becomes
// {"type": full name, "value": base64 of its bytes, "debug": its JSON}.
std::string ConnectErrorBody(const grpc::Status& status);

// The Connect-Timeout-Ms header: at most 10 digits, positive. nullopt when
// absent; an error status when malformed.
struct ConnectTimeout {
  bool valid = true;
  std::optional<absl::Duration> timeout;
};
ConnectTimeout ParseConnectTimeout(absl::string_view header);

// Seconds to send in Retry-After, from the error's retry_after_seconds
// metadata; nullopt when the status carries none.
std::optional<std::string> RetryAfterSeconds(const grpc::Status& status);

}  // namespace grassroots::gateway
