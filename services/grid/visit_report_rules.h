#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "grassroots/grid/v1/visit.pb.h"

namespace grassroots::grid {

// Periods, the overdue computation and the report's area. Pure rules, no
// I/O. Days are UTC days, as every date in grid.

// Days [start, end).
struct DayPeriod {
  absl::CivilDay start;
  absl::CivilDay end;
  absl::Time StartTime() const;
  absl::Time EndTime() const;
};

inline constexpr int kMaxCountPeriodDays = 366;

// `field` names the message ("period"). An empty period is std::nullopt
// unless `required`; at most `max_days` long when given.
absl::StatusOr<std::optional<DayPeriod>> ReadPeriod(absl::string_view field,
                                                    const v1::DatePeriod& period, bool required,
                                                    std::optional<int> max_days = std::nullopt);

// A listing names at least one of a grid, a household, a key person and a
// worker; a household and a key person exclude each other.
absl::Status ValidateVisitListing(const v1::ListVisitsRequest& request);

// The report's day: empty is today; before today is refused (the report
// reads each record's latest visit, which may be later than a past day).
absl::StatusOr<absl::CivilDay> ReadAsOf(absl::string_view field, const std::string& as_of,
                                        absl::CivilDay today);

absl::CivilDay UtcDay(absl::Time t);

// The last day by which the next door visit is due: `interval_days` after
// the last door visit, or after the day the record was made if it was
// never visited.
absl::CivilDay DueDay(std::optional<absl::Time> last_visit, absl::Time recorded, int interval_days);

// Days past the due day on `as_of`; 0 when not overdue (on the due day
// itself the visit is still in time).
int DaysOverdue(absl::CivilDay due, absl::CivilDay as_of);

// One grid or an area: an area must lie within the caller's scope
// (PERMISSION_DENIED, OUT_OF_SCOPE); the answer is the path prefix to read
// under (the caller's scope when no area is named). `grid_id` and
// `area_path` exclude each other.
absl::StatusOr<std::string> ReportArea(const std::string& scope, const std::string& grid_id,
                                       const std::string& area_path);

}  // namespace grassroots::grid
