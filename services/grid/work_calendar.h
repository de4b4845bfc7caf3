#pragma once

#include <array>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "grassroots/grid/v1/case.pb.h"

namespace grassroots::grid {

// A region's working week, in which case deadlines count (时限按工作日计).
// Pure rules, no I/O.
struct WorkCalendarRules {
  int utc_offset_minutes = 480;  // China Standard Time
  int day_start_minute = 9 * 60;
  int day_end_minute = 17 * 60;
  // Index 1 (Monday) to 7 (Sunday); index 0 unused.
  std::array<bool, 8> working_weekday = {false, true, true, true, true, true, false, false};
  absl::flat_hash_set<absl::CivilDay> holidays;
  absl::flat_hash_set<absl::CivilDay> extra_working_days;
};

// The city default: Monday to Friday, 09:00 to 17:00, UTC+8, no holidays.
WorkCalendarRules DefaultWorkCalendar();

// INVALID_ARGUMENT naming the field (under "calendar.") when the offset,
// hours, weekdays or dates are not valid, or no weekday is worked.
absl::StatusOr<WorkCalendarRules> ParseWorkCalendar(const v1::WorkCalendar& calendar);
// The proto form (dates sorted), for answers and storage.
v1::WorkCalendar ToProto(const WorkCalendarRules& rules, const std::string& area_path);

bool IsWorkingDay(const WorkCalendarRules& rules, absl::CivilDay day);

// The instant `amount` of working time after `start`: time outside working
// hours, on rest days and holidays does not count. A start outside working
// hours counts from the next working hour.
absl::Time AddWorkingTime(const WorkCalendarRules& rules, absl::Time start, absl::Duration amount);

// Working time between `from` and `to` (zero when `to` is not after `from`).
absl::Duration WorkingTimeBetween(const WorkCalendarRules& rules, absl::Time from, absl::Time to);

}  // namespace grassroots::grid
