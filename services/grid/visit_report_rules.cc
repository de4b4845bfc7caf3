#include "services/grid/visit_report_rules.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"
#include "services/grid/staff_rules.h"

namespace grassroots::grid {

absl::Time DayPeriod::StartTime() const { return absl::FromCivil(start, absl::UTCTimeZone()); }
absl::Time DayPeriod::EndTime() const { return absl::FromCivil(end, absl::UTCTimeZone()); }

absl::StatusOr<std::optional<DayPeriod>> ReadPeriod(absl::string_view field,
                                                    const v1::DatePeriod& period, bool required,
                                                    std::optional<int> max_days) {
  const std::string start_field = absl::StrCat(field, ".start_date");
  const std::string end_field = absl::StrCat(field, ".end_date");
  if (period.start_date().empty() && period.end_date().empty() && !required) return std::nullopt;
  auto start = ParseDate(start_field, period.start_date());
  if (!start.ok()) return start.status();
  auto end = ParseDate(end_field, period.end_date());
  if (!end.ok()) return end.status();
  if (*end <= *start) {
    return InvalidField(end_field, "END_NOT_AFTER_START",
                        "the period runs up to the day before its end, which must be later");
  }
  if (max_days && *end - *start > *max_days) {
    return InvalidField(end_field, "PERIOD_TOO_LONG",
                        absl::StrCat("a period is at most ", *max_days, " days"));
  }
  return DayPeriod{*start, *end};
}

absl::Status ValidateVisitListing(const v1::ListVisitsRequest& request) {
  if (request.grid_id().empty() && request.household_id().empty() &&
      request.key_person_id().empty() && request.worker_ref().empty()) {
    return InvalidField("grid_id", "VISIT_LISTING_UNBOUNDED",
                        "name a grid, a household, a key person or a worker");
  }
  if (!request.household_id().empty() && !request.key_person_id().empty()) {
    return InvalidField("key_person_id", "HOUSEHOLD_OR_KEY_PERSON",
                        "name a household or a key person, not both");
  }
  for (const auto& [field, id] : {std::pair{"grid_id", &request.grid_id()},
                                  std::pair{"household_id", &request.household_id()},
                                  std::pair{"key_person_id", &request.key_person_id()}}) {
    if (id->empty()) continue;
    if (auto s = RequireId(field, *id); !s.ok()) return s;
  }
  if (!request.worker_ref().empty()) return ValidatePersonRef("worker_ref", request.worker_ref());
  return absl::OkStatus();
}

absl::StatusOr<absl::CivilDay> ReadAsOf(absl::string_view field, const std::string& as_of,
                                        absl::CivilDay today) {
  if (as_of.empty()) return today;
  auto day = ParseDate(field, as_of);
  if (!day.ok()) return day.status();
  if (*day < today) {
    return InvalidField(
        field, "AS_OF_IN_PAST",
        absl::StrCat("the report is as of today (", DateText(today), ") or a later day"));
  }
  return *day;
}

absl::CivilDay UtcDay(absl::Time t) { return absl::ToCivilDay(t, absl::UTCTimeZone()); }

absl::CivilDay DueDay(std::optional<absl::Time> last_visit, absl::Time recorded,
                      int interval_days) {
  return UtcDay(last_visit.value_or(recorded)) + interval_days;
}

int DaysOverdue(absl::CivilDay due, absl::CivilDay as_of) {
  return as_of > due ? static_cast<int>(as_of - due) : 0;
}

absl::StatusOr<std::string> ReportArea(const std::string& scope, const std::string& grid_id,
                                       const std::string& area_path) {
  if (!grid_id.empty() && !area_path.empty()) {
    return InvalidField("area_path", "GRID_OR_AREA", "name one grid or an area's path, not both");
  }
  if (area_path.empty()) return scope;
  if (!PathWithin(area_path, scope)) {
    return PermissionDenied("OUT_OF_SCOPE", "the area lies outside your jurisdiction");
  }
  return area_path;
}

}  // namespace grassroots::grid
