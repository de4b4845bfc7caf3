#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grassroots {

// The shapes of the identifiers people are found by, for every service that
// keeps personal data: the normalised form is what keyed hashes are taken
// of, so one value written two ways finds the same record. Pure, no I/O.

// Digits with an optional leading '+' (spaces and '-' are dropped), 5 to 20
// digits: "138 1234 5678" and "138-1234-5678" are the same phone.
absl::StatusOr<std::string> NormalisePhone(absl::string_view field, absl::string_view phone);

// An 18-character resident ID number (GB 11643): 17 digits and a check
// character (a digit or X, case-insensitive) that must match the weighted
// sum of the others. Returned upper-case.
absl::StatusOr<std::string> NormaliseIdNumber(absl::string_view field, absl::string_view id_number);

}  // namespace grassroots
