#pragma once

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grassroots {

// Checks every handler makes of its request's plumbing fields, with the
// same words everywhere.

// INVALID_ARGUMENT unless `id` is a non-empty id (at most 40 bytes).
absl::Status RequireId(absl::string_view field, const std::string& id);

// INVALID_ARGUMENT when a request id is longer than 128 bytes.
absl::Status ValidateRequestId(const std::string& request_id);

// Moves an OK result into the response message; returns the status.
template <typename T>
absl::Status Assign(absl::StatusOr<T> result, T* out) {
  if (!result.ok()) return result.status();
  *out = *std::move(result);
  return absl::OkStatus();
}

}  // namespace grassroots
