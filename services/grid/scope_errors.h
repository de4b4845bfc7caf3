#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grassroots::grid {

// For a scoped caller, a record outside its jurisdiction and one that does
// not exist look the same (PERMISSION_DENIED, OUT_OF_SCOPE), so ids from
// other jurisdictions reveal nothing. An unscoped caller is told it is not
// there.

// The record a call is about (GetX, UpdateX): NOT_FOUND with `reason` for
// an unscoped caller, e.g. HiddenRecord(scope, "household", "HOUSEHOLD_NOT_FOUND").
absl::Status HiddenRecord(const std::string& scope, absl::string_view noun,
                          absl::string_view reason);

// A record a request refers to (`field`, e.g. "compound.grid_id"):
// INVALID_ARGUMENT on the field with `reason` for an unscoped caller.
absl::Status HiddenReference(const std::string& scope, absl::string_view field,
                             absl::string_view noun, absl::string_view reason);

}  // namespace grassroots::grid
