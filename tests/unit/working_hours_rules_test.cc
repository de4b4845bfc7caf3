#include "services/volunteer/working_hours_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::volunteer {
namespace {

// Monday to Friday, 09:00-17:00 Beijing time (UTC+8).
const WorkingHours kOffice{0b0011111, 9 * 60, 17 * 60, 480};

absl::Time Beijing(int day, int hour, int minute = 0) {
  // December 2026: the 7th is a Monday.
  return absl::FromCivil(absl::CivilMinute(2026, 12, day, hour, minute),
                         absl::FixedTimeZone(8 * 3600));
}

TEST(WorkingHoursRulesTest, HoursNameWeekdaysAndATimeOfDay) {
  EXPECT_TRUE(ValidateWorkingHours(kOffice).ok());
  WorkingHours none = kOffice;
  none.weekdays = 0;
  EXPECT_EQ(ErrorReason(ValidateWorkingHours(none)).value_or(""), "WEEKDAYS_INVALID");
  WorkingHours backwards = kOffice;
  backwards.end_minute = backwards.start_minute;
  EXPECT_EQ(ErrorReason(ValidateWorkingHours(backwards)).value_or(""), "WORKING_HOURS_INVALID");
  WorkingHours far = kOffice;
  far.utc_offset_minutes = 900;
  EXPECT_EQ(ErrorField(ValidateWorkingHours(far)).value_or(""), "hours.utc_offset_minutes");
  EXPECT_EQ(DescribeWorkingHours(kOffice), "Mon,Tue,Wed,Thu,Fri 09:00-17:00 (UTC+8)");
}

TEST(WorkingHoursRulesTest, OnlyMinutesInsideWorkingHoursCount) {
  // Monday 16:00-19:00: one hour inside.
  EXPECT_EQ(MinutesInWorkingHours(kOffice, Beijing(7, 16), Beijing(7, 19)), 60);
  // An evening patrol and a Saturday morning: none.
  EXPECT_EQ(MinutesInWorkingHours(kOffice, Beijing(7, 18), Beijing(7, 21)), 0);
  EXPECT_EQ(MinutesInWorkingHours(kOffice, Beijing(12, 9), Beijing(12, 12)), 0);
  // Friday 16:30 to Monday 09:30: half an hour each side.
  EXPECT_EQ(MinutesInWorkingHours(kOffice, Beijing(11, 16, 30), Beijing(14, 9, 30)), 60);
  EXPECT_EQ(MinutesInWorkingHours(kOffice, Beijing(7, 19), Beijing(7, 18)), 0);
}

TEST(WorkingHoursRulesTest, AWorkersWorkingMinutesAreNotVolunteering) {
  EXPECT_EQ(*VolunteeringMinutes(std::nullopt, 120, Beijing(7, 10), Beijing(7, 12)), 120);
  EXPECT_EQ(*VolunteeringMinutes(kOffice, 180, Beijing(7, 16), Beijing(7, 19)), 120);
  EXPECT_EQ(*VolunteeringMinutes(kOffice, 180, Beijing(7, 18), Beijing(7, 21)), 180);
  auto at_work = VolunteeringMinutes(kOffice, 120, Beijing(8, 10), Beijing(8, 12));
  EXPECT_EQ(ErrorReason(at_work.status()).value_or(""), "WORKING_HOURS_NOT_VOLUNTEERING");
  EXPECT_NE(at_work.status().message().find("Mon,Tue,Wed,Thu,Fri 09:00-17:00"), std::string::npos);
}

}  // namespace
}  // namespace grassroots::volunteer
