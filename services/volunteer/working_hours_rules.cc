#include "services/volunteer/working_hours_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/status/errors.h"

namespace grassroots::volunteer {
namespace {

constexpr const char* kDayNames[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int DayIndex(absl::Weekday day) {
  switch (day) {
    case absl::Weekday::monday:
      return 0;
    case absl::Weekday::tuesday:
      return 1;
    case absl::Weekday::wednesday:
      return 2;
    case absl::Weekday::thursday:
      return 3;
    case absl::Weekday::friday:
      return 4;
    case absl::Weekday::saturday:
      return 5;
    case absl::Weekday::sunday:
      return 6;
  }
  return 0;
}

std::string Clock(int minute) { return absl::StrFormat("%02d:%02d", minute / 60, minute % 60); }

}  // namespace

absl::Status ValidateWorkingHours(const WorkingHours& h) {
  if (h.weekdays <= 0 || h.weekdays > 0x7f) {
    return InvalidField("hours.weekdays", "WEEKDAYS_INVALID",
                        "must name at least one weekday (bit 0 Monday to bit 6 Sunday)");
  }
  if (h.start_minute < 0 || h.start_minute >= h.end_minute || h.end_minute > 1440) {
    return InvalidField("hours.start_minute", "WORKING_HOURS_INVALID",
                        "must start at a minute of the day (0-1439) before it ends (at most 1440)");
  }
  if (h.utc_offset_minutes < -720 || h.utc_offset_minutes > 840) {
    return InvalidField("hours.utc_offset_minutes", "UTC_OFFSET_INVALID",
                        "must be -720 to 840 minutes from UTC");
  }
  return absl::OkStatus();
}

int64_t MinutesInWorkingHours(const WorkingHours& h, absl::Time from, absl::Time to) {
  if (to <= from) return 0;
  const absl::TimeZone zone = absl::FixedTimeZone(h.utc_offset_minutes * 60);
  absl::Duration inside;
  for (absl::CivilDay day = absl::ToCivilDay(from, zone); day <= absl::ToCivilDay(to, zone);
       ++day) {
    if ((h.weekdays & (1 << DayIndex(absl::GetWeekday(day)))) == 0) continue;
    const absl::Time midnight = absl::FromCivil(day, zone);
    const absl::Time start = std::max(from, midnight + absl::Minutes(h.start_minute));
    const absl::Time end = std::min(to, midnight + absl::Minutes(h.end_minute));
    if (end > start) inside += end - start;
  }
  return absl::ToInt64Minutes(inside);
}

absl::StatusOr<int64_t> VolunteeringMinutes(const std::optional<WorkingHours>& hours,
                                            int64_t minutes, absl::Time from, absl::Time to) {
  if (!hours) return minutes;
  const int64_t working = MinutesInWorkingHours(*hours, from, to);
  if (working > 0 && working >= minutes) {
    return FailedPrecondition(
        "WORKING_HOURS_NOT_VOLUNTEERING",
        absl::StrCat("the volunteer is a community worker on duty ", DescribeWorkingHours(*hours),
                     "; all ", minutes,
                     " minutes on site were working hours, which are not volunteering"));
  }
  return std::max<int64_t>(0, minutes - working);
}

std::string DescribeWorkingHours(const WorkingHours& h) {
  std::vector<std::string> days;
  for (int i = 0; i < 7; ++i) {
    if (h.weekdays & (1 << i)) days.push_back(kDayNames[i]);
  }
  const int offset = h.utc_offset_minutes;
  std::string zone = absl::StrCat("UTC", offset < 0 ? "-" : "+", std::abs(offset) / 60);
  if (offset % 60 != 0) absl::StrAppend(&zone, absl::StrFormat(":%02d", std::abs(offset) % 60));
  return absl::StrCat(absl::StrJoin(days, ","), " ", Clock(h.start_minute), "-",
                      Clock(h.end_minute), " (", zone, ")");
}

}  // namespace grassroots::volunteer
