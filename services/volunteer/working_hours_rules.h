#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grassroots::volunteer {

// A community worker's working hours: the weekdays they work and the time
// of day, in their local time (an offset from UTC; China is +480).
struct WorkingHours {
  // Bit 0 Monday ... bit 6 Sunday.
  int weekdays = 0;
  int start_minute = 0;  // of the day, 0-1439
  int end_minute = 0;    // after start_minute, at most 1440
  int utc_offset_minutes = 480;
};

// Pure, no I/O. A community worker's hours during their working hours are
// work, not volunteering (the product's rule; who works when comes from a
// WorkRoster).

absl::Status ValidateWorkingHours(const WorkingHours& hours);
// Whole minutes of [from, to) that fall in the working hours.
int64_t MinutesInWorkingHours(const WorkingHours& hours, absl::Time from, absl::Time to);
// The minutes of service on site in [from, to) that count as volunteering:
// `minutes` less those in working hours. FAILED_PRECONDITION
// (WORKING_HOURS_NOT_VOLUNTEERING) when every minute was in working hours.
// No working hours (not a community worker): all of them.
absl::StatusOr<int64_t> VolunteeringMinutes(const std::optional<WorkingHours>& hours,
                                            int64_t minutes, absl::Time from, absl::Time to);
// "Mon-Fri 09:00-17:00 (UTC+8)".
std::string DescribeWorkingHours(const WorkingHours& hours);

}  // namespace grassroots::volunteer
