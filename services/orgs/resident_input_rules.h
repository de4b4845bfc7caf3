#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grassroots::orgs {

// What residents and the officers writing for them send: references to
// households and free text. Pure rules, no I/O.

// A household is an opaque reference owned by another service (grid):
// 1-64 of A-Z, a-z, 0-9 and ". _ : / -". Never a name.
absl::Status ValidateHouseholdId(absl::string_view field, absl::string_view household_id);

// Free text of at most `max_bytes` bytes: valid UTF-8 without control
// characters other than line breaks and tabs; empty only when not `required`.
absl::Status ValidateFreeText(absl::string_view field, absl::string_view text, size_t max_bytes,
                              bool required);

}  // namespace grassroots::orgs
