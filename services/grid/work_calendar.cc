#include "services/grid/work_calendar.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"

namespace grassroots::grid {
namespace {

// A calendar with no working day would make AddWorkingTime run forever;
// validation refuses it, and this bounds the walk for holidays galore.
constexpr int kMaxDaysWalked = 3 * 366;

int IsoWeekday(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 1;
}

// Local civil time is UTC shifted by the offset (Chinese regions keep no DST).
absl::CivilSecond ToLocal(const WorkCalendarRules& rules, absl::Time t) {
  return absl::ToCivilSecond(t + absl::Minutes(rules.utc_offset_minutes), absl::UTCTimeZone());
}

absl::Time FromLocal(const WorkCalendarRules& rules, absl::CivilSecond local) {
  return absl::FromCivil(local, absl::UTCTimeZone()) - absl::Minutes(rules.utc_offset_minutes);
}

absl::Time DayStart(const WorkCalendarRules& rules, absl::CivilDay day) {
  return FromLocal(rules, absl::CivilSecond(day) + int64_t{rules.day_start_minute} * 60);
}

absl::Time DayEnd(const WorkCalendarRules& rules, absl::CivilDay day) {
  return FromLocal(rules, absl::CivilSecond(day) + int64_t{rules.day_end_minute} * 60);
}

absl::StatusOr<absl::flat_hash_set<absl::CivilDay>> ParseDates(
    absl::string_view field, const google::protobuf::RepeatedPtrField<std::string>& dates) {
  absl::flat_hash_set<absl::CivilDay> days;
  for (int i = 0; i < dates.size(); ++i) {
    auto day = ParseDate(absl::StrCat(field, "[", i, "]"), dates[i]);
    if (!day.ok()) return day.status();
    days.insert(*day);
  }
  return days;
}

std::vector<std::string> SortedDates(const absl::flat_hash_set<absl::CivilDay>& days) {
  std::vector<absl::CivilDay> sorted(days.begin(), days.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> out;
  for (absl::CivilDay d : sorted) out.push_back(DateText(d));
  return out;
}

}  // namespace

WorkCalendarRules DefaultWorkCalendar() { return WorkCalendarRules{}; }

absl::StatusOr<WorkCalendarRules> ParseWorkCalendar(const v1::WorkCalendar& calendar) {
  WorkCalendarRules rules;
  if (calendar.utc_offset_minutes() < -720 || calendar.utc_offset_minutes() > 840) {
    return InvalidField("calendar.utc_offset_minutes", "UTC_OFFSET_OUT_OF_RANGE",
                        "the offset from UTC must be between -720 and 840 minutes");
  }
  rules.utc_offset_minutes = calendar.utc_offset_minutes();
  if (calendar.day_start_minute() < 0 || calendar.day_end_minute() > 24 * 60 ||
      calendar.day_start_minute() >= calendar.day_end_minute()) {
    return InvalidField("calendar.day_end_minute", "WORKING_HOURS_INVALID",
                        "working hours must start at or after 0, end at or before 1440 minutes "
                        "after midnight, and end after they start");
  }
  rules.day_start_minute = calendar.day_start_minute();
  rules.day_end_minute = calendar.day_end_minute();
  rules.working_weekday.fill(false);
  for (int weekday : calendar.working_weekdays()) {
    if (weekday < 1 || weekday > 7) {
      return InvalidField("calendar.working_weekdays", "WEEKDAY_OUT_OF_RANGE",
                          "working weekdays are 1 (Monday) to 7 (Sunday)");
    }
    rules.working_weekday[weekday] = true;
  }
  if (calendar.working_weekdays().empty()) {
    return InvalidField("calendar.working_weekdays", "NO_WORKING_DAY",
                        "a calendar needs at least one working weekday");
  }
  auto holidays = ParseDates("calendar.holidays", calendar.holidays());
  if (!holidays.ok()) return holidays.status();
  auto extra = ParseDates("calendar.extra_working_days", calendar.extra_working_days());
  if (!extra.ok()) return extra.status();
  for (absl::CivilDay day : *holidays) {
    if (extra->contains(day)) {
      return InvalidField("calendar.extra_working_days", "DATE_BOTH_OFF_AND_WORKED",
                          absl::StrCat(DateText(day), " is both a holiday and a working day"));
    }
  }
  rules.holidays = *std::move(holidays);
  rules.extra_working_days = *std::move(extra);
  return rules;
}

v1::WorkCalendar ToProto(const WorkCalendarRules& rules, const std::string& area_path) {
  v1::WorkCalendar out;
  out.set_area_path(area_path);
  out.set_utc_offset_minutes(rules.utc_offset_minutes);
  out.set_day_start_minute(rules.day_start_minute);
  out.set_day_end_minute(rules.day_end_minute);
  for (int weekday = 1; weekday <= 7; ++weekday) {
    if (rules.working_weekday[weekday]) out.add_working_weekdays(weekday);
  }
  for (auto& d : SortedDates(rules.holidays)) out.add_holidays(d);
  for (auto& d : SortedDates(rules.extra_working_days)) out.add_extra_working_days(d);
  return out;
}

bool IsWorkingDay(const WorkCalendarRules& rules, absl::CivilDay day) {
  if (rules.holidays.contains(day)) return false;
  if (rules.extra_working_days.contains(day)) return true;
  return rules.working_weekday[IsoWeekday(day)];
}

absl::Time AddWorkingTime(const WorkCalendarRules& rules, absl::Time start, absl::Duration amount) {
  if (amount <= absl::ZeroDuration()) return start;
  absl::CivilDay day = absl::CivilDay(ToLocal(rules, start));
  absl::Time cursor = start;
  for (int walked = 0; walked < kMaxDaysWalked; ++walked, ++day) {
    if (!IsWorkingDay(rules, day)) continue;
    const absl::Time open = std::max(cursor, DayStart(rules, day));
    const absl::Time close = DayEnd(rules, day);
    if (open >= close) continue;
    if (close - open >= amount) return open + amount;
    amount -= close - open;
    cursor = close;
  }
  return cursor + amount;  // beyond the walk: count on the clock
}

absl::Duration WorkingTimeBetween(const WorkCalendarRules& rules, absl::Time from, absl::Time to) {
  absl::Duration total = absl::ZeroDuration();
  if (to <= from) return total;
  const absl::CivilDay last = absl::CivilDay(ToLocal(rules, to));
  for (absl::CivilDay day = absl::CivilDay(ToLocal(rules, from)); day <= last; ++day) {
    if (!IsWorkingDay(rules, day)) continue;
    const absl::Time open = std::max(from, DayStart(rules, day));
    const absl::Time close = std::min(to, DayEnd(rules, day));
    if (close > open) total += close - open;
  }
  return total;
}

}  // namespace grassroots::grid
