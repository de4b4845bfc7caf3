#include "services/grid/work_calendar.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

// Local (UTC+8) civil time to an instant.
absl::Time Local(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone()) -
         absl::Hours(8);
}

// 2026-12-04 is a Friday, 2026-12-05/06 the weekend.
TEST(WorkCalendarTest, CountsOnlyWorkingHours) {
  const WorkCalendarRules cal = DefaultWorkCalendar();
  // Inside one day.
  EXPECT_EQ(AddWorkingTime(cal, Local(2026, 12, 4, 10, 0), absl::Hours(2)),
            Local(2026, 12, 4, 12, 0));
  // Over the evening and the weekend: 4 h on Friday from 15:00 is 2 h Friday
  // and 2 h on Monday from 09:00.
  EXPECT_EQ(AddWorkingTime(cal, Local(2026, 12, 4, 15, 0), absl::Hours(4)),
            Local(2026, 12, 7, 11, 0));
  // A report at night counts from the next morning.
  EXPECT_EQ(AddWorkingTime(cal, Local(2026, 12, 3, 22, 30), absl::Minutes(30)),
            Local(2026, 12, 4, 9, 30));
  // Exactly the day's end stays on that day.
  EXPECT_EQ(AddWorkingTime(cal, Local(2026, 12, 4, 9, 0), absl::Hours(8)),
            Local(2026, 12, 4, 17, 0));
  // Five working days are a week.
  EXPECT_EQ(AddWorkingTime(cal, Local(2026, 12, 1, 9, 0), absl::Hours(40)),
            Local(2026, 12, 7, 17, 0));
  EXPECT_EQ(AddWorkingTime(cal, Local(2026, 12, 1, 9, 0), absl::ZeroDuration()),
            Local(2026, 12, 1, 9, 0));
}

TEST(WorkCalendarTest, HolidaysAndMakeUpDays) {
  WorkCalendarRules cal = DefaultWorkCalendar();
  cal.holidays.insert(absl::CivilDay(2026, 12, 7));            // Monday off
  cal.extra_working_days.insert(absl::CivilDay(2026, 12, 5));  // Saturday worked
  EXPECT_FALSE(IsWorkingDay(cal, absl::CivilDay(2026, 12, 7)));
  EXPECT_TRUE(IsWorkingDay(cal, absl::CivilDay(2026, 12, 5)));
  EXPECT_FALSE(IsWorkingDay(cal, absl::CivilDay(2026, 12, 6)));
  // Friday 16:00 + 3 h: 1 h Friday, 2 h Saturday (worked).
  EXPECT_EQ(AddWorkingTime(cal, Local(2026, 12, 4, 16, 0), absl::Hours(3)),
            Local(2026, 12, 5, 11, 0));
  // Saturday 16:00 + 2 h: 1 h Saturday, Sunday and the Monday holiday skipped.
  EXPECT_EQ(AddWorkingTime(cal, Local(2026, 12, 5, 16, 0), absl::Hours(2)),
            Local(2026, 12, 8, 10, 0));
}

TEST(WorkCalendarTest, WorkingTimeBetweenIsTheInverse) {
  WorkCalendarRules cal = DefaultWorkCalendar();
  cal.holidays.insert(absl::CivilDay(2026, 12, 8));
  const absl::Time start = Local(2026, 12, 3, 13, 17);
  for (int minutes : {1, 59, 240, 479, 480, 481, 2400, 10000}) {
    const absl::Time due = AddWorkingTime(cal, start, absl::Minutes(minutes));
    EXPECT_EQ(WorkingTimeBetween(cal, start, due), absl::Minutes(minutes)) << minutes;
  }
  EXPECT_EQ(WorkingTimeBetween(cal, Local(2026, 12, 5, 0, 0), Local(2026, 12, 6, 23, 0)),
            absl::ZeroDuration());
  EXPECT_EQ(WorkingTimeBetween(cal, Local(2026, 12, 4, 12, 0), Local(2026, 12, 4, 11, 0)),
            absl::ZeroDuration());
}

TEST(WorkCalendarTest, OffsetsOtherThanChina) {
  WorkCalendarRules cal = DefaultWorkCalendar();
  cal.utc_offset_minutes = 0;
  const absl::Time friday_16_utc =
      absl::FromCivil(absl::CivilSecond(2026, 12, 4, 16, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(AddWorkingTime(cal, friday_16_utc, absl::Hours(2)),
            absl::FromCivil(absl::CivilSecond(2026, 12, 7, 10, 0, 0), absl::UTCTimeZone()));
}

TEST(WorkCalendarTest, ParsesAndRefusesCalendars) {
  v1::WorkCalendar proto;
  proto.set_utc_offset_minutes(480);
  proto.set_day_start_minute(8 * 60 + 30);
  proto.set_day_end_minute(17 * 60 + 30);
  for (int d : {1, 2, 3, 4, 5, 6}) proto.add_working_weekdays(d);
  proto.add_holidays("2026-10-01");
  proto.add_extra_working_days("2026-10-11");
  auto rules = ParseWorkCalendar(proto);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_TRUE(rules->working_weekday[6]);
  EXPECT_FALSE(rules->working_weekday[7]);
  const v1::WorkCalendar back = ToProto(*rules, "d01");
  EXPECT_EQ(back.working_weekdays_size(), 6);
  EXPECT_EQ(back.holidays(0), "2026-10-01");
  EXPECT_EQ(back.area_path(), "d01");

  auto reason = [](v1::WorkCalendar c) {
    return ErrorReason(ParseWorkCalendar(c).status()).value_or("OK");
  };
  v1::WorkCalendar bad = proto;
  bad.clear_working_weekdays();
  EXPECT_EQ(reason(bad), "NO_WORKING_DAY");
  bad = proto;
  bad.add_working_weekdays(8);
  EXPECT_EQ(reason(bad), "WEEKDAY_OUT_OF_RANGE");
  bad = proto;
  bad.set_day_end_minute(bad.day_start_minute());
  EXPECT_EQ(reason(bad), "WORKING_HOURS_INVALID");
  bad = proto;
  bad.set_utc_offset_minutes(900);
  EXPECT_EQ(reason(bad), "UTC_OFFSET_OUT_OF_RANGE");
  bad = proto;
  bad.add_holidays("2026-02-30");
  EXPECT_EQ(ErrorField(ParseWorkCalendar(bad).status()).value_or(""), "calendar.holidays[1]");
  bad = proto;
  bad.add_holidays("2026-10-11");
  EXPECT_EQ(reason(bad), "DATE_BOTH_OFF_AND_WORKED");
}

}  // namespace
}  // namespace grassroots::grid
