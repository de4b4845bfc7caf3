#include "common/time/civil_date.h"

#include "common/status/errors.h"

namespace grassroots {

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view date) {
  absl::CivilDay day;
  if (date.size() != 10 || !absl::ParseCivilTime(date, &day) ||
      absl::FormatCivilTime(day) != date) {
    return InvalidField(field, "DATE_INVALID", "must be a date written YYYY-MM-DD");
  }
  return day;
}

std::string DateText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

}  // namespace grassroots
