#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grassroots {

// Errors carry a machine-readable reason (UPPER_SNAKE_CASE) and, for bad
// input, the request field at fault. Both travel as absl::Status payloads and
// are turned into the gRPC error details at the edge (see grpc_status.h).

absl::Status InvalidField(absl::string_view field, absl::string_view reason,
                          absl::string_view message);
absl::Status WithReason(absl::Status status, absl::string_view reason);

absl::Status NotFound(absl::string_view reason, absl::string_view message);
absl::Status AlreadyExists(absl::string_view reason, absl::string_view message);
absl::Status FailedPrecondition(absl::string_view reason, absl::string_view message);
absl::Status PermissionDenied(absl::string_view reason, absl::string_view message);
absl::Status Aborted(absl::string_view reason, absl::string_view message);
absl::Status Unavailable(absl::string_view reason, absl::string_view message);
absl::Status Unauthenticated(absl::string_view reason, absl::string_view message);
absl::Status ResourceExhausted(absl::string_view reason, absl::string_view message);
absl::Status Internal(absl::string_view reason, absl::string_view message);

std::optional<std::string> ErrorReason(const absl::Status& status);
std::optional<std::string> ErrorField(const absl::Status& status);

}  // namespace grassroots
