#pragma once

#include <functional>
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

// Adds a key to the error's ErrorInfo metadata, for example
// "retry_after_seconds" on a rate-limit refusal.
absl::Status WithMetadata(absl::Status status, absl::string_view key, absl::string_view value);
std::optional<std::string> ErrorMetadata(const absl::Status& status, absl::string_view key);
// Calls `fn(key, value)` for every metadata entry, the field included.
void ForEachErrorMetadata(const absl::Status& status,
                          const std::function<void(absl::string_view, absl::string_view)>& fn);

std::optional<std::string> ErrorReason(const absl::Status& status);
std::optional<std::string> ErrorField(const absl::Status& status);

}  // namespace grassroots
