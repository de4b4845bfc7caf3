#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace grassroots {

// A civil date written "YYYY-MM-DD" (the API's form for dates), exactly:
// "2024-2-1" and "2023-02-29" are refused, naming the field.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view date);

// "YYYY-MM-DD".
std::string DateText(absl::CivilDay day);

}  // namespace grassroots
