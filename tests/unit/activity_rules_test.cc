#include "services/volunteer/activity_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/time/proto_time.h"

namespace grassroots::volunteer {
namespace {

const absl::Time kNine = absl::FromCivil(absl::CivilMinute(2024, 5, 1, 9, 0), absl::UTCTimeZone());

TEST(ActivityRulesTest, HoursAreOnSiteTimeInsideTheWindow) {
  const absl::Time end = kNine + absl::Hours(3);
  // Early arrival and late departure count only inside the window.
  EXPECT_EQ(ServiceMinutes(kNine, end, kNine - absl::Hours(1), end + absl::Hours(1)), 180);
  EXPECT_EQ(ServiceMinutes(kNine, end, kNine + absl::Minutes(30), kNine + absl::Minutes(95)), 65);
  EXPECT_EQ(ServiceMinutes(kNine, end, end + absl::Hours(1), end + absl::Hours(2)), 0);
  EXPECT_EQ(ServiceMinutes(kNine, end, kNine, kNine + absl::Seconds(119)), 1);
}

TEST(ActivityRulesTest, PointsArePerAttendanceAndPerFullHour) {
  v1::PointsRule rule;
  rule.set_points_per_activity(3);
  rule.set_points_per_hour(2);
  EXPECT_EQ(PointsFor(rule, 0), 3);
  EXPECT_EQ(PointsFor(rule, 59), 3);
  EXPECT_EQ(PointsFor(rule, 150), 7);
  EXPECT_EQ(PointsFor(v1::PointsRule(), 600), 0);
}

TEST(ActivityRulesTest, AnAttendanceMovesForwardOnly) {
  EXPECT_TRUE(CheckStep(v1::ATTENDANCE_SIGNED_UP, AttendanceStep::kCheckIn).ok());
  EXPECT_TRUE(CheckStep(v1::ATTENDANCE_CHECKED_IN, AttendanceStep::kCheckOut).ok());
  EXPECT_TRUE(CheckStep(v1::ATTENDANCE_CHECKED_OUT, AttendanceStep::kConfirm).ok());
  EXPECT_TRUE(CheckStep(v1::ATTENDANCE_CANCELLED, AttendanceStep::kSignUp).ok());
  auto late = CheckStep(v1::ATTENDANCE_CHECKED_IN, AttendanceStep::kCancel);
  EXPECT_EQ(ErrorReason(late).value_or(""), "ATTENDANCE_STATE");
  EXPECT_EQ(late.message(), "an attendance that is checked in cannot be cancelled");
  EXPECT_FALSE(CheckStep(v1::ATTENDANCE_SIGNED_UP, AttendanceStep::kConfirm).ok());
  EXPECT_FALSE(CheckStep(v1::ATTENDANCE_CONFIRMED, AttendanceStep::kCheckOut).ok());
  EXPECT_TRUE(HoldsPlace(v1::ATTENDANCE_CONFIRMED));
  EXPECT_FALSE(HoldsPlace(v1::ATTENDANCE_CANCELLED));
}

TEST(ActivityRulesTest, AnActivityHasAWindowAPlaceAndPlaces) {
  v1::Activity a;
  a.set_community_path("d01/s01/c01");
  a.set_title("Patrol");
  a.set_activity_type("patrol");
  a.set_place("Gate");
  a.set_capacity(10);
  ToProtoTime(kNine, a.mutable_start_time());
  ToProtoTime(kNine + absl::Hours(2), a.mutable_end_time());
  EXPECT_TRUE(ValidateActivity(a).ok());
  v1::Activity backwards = a;
  ToProtoTime(kNine - absl::Hours(1), backwards.mutable_end_time());
  EXPECT_EQ(ErrorField(ValidateActivity(backwards)).value_or(""), "activity.end_time");
  v1::Activity week = a;
  ToProtoTime(kNine + absl::Hours(24 * 8), week.mutable_end_time());
  EXPECT_FALSE(ValidateActivity(week).ok());
  v1::Activity typeless = a;
  typeless.set_activity_type("Patrol!");
  EXPECT_EQ(ErrorReason(ValidateActivity(typeless)).value_or(""), "ACTIVITY_TYPE_INVALID");
  v1::PointsRule rule;
  rule.set_community_path("d01/s01/c01");
  rule.set_activity_type("*");
  rule.set_points_per_hour(101);
  EXPECT_EQ(ErrorField(ValidatePointsRule(rule)).value_or(""), "rule.points_per_hour");
}

TEST(ActivityRulesTest, RecordedTimesAreNotInTheFutureNorBeforeTheCheckIn) {
  EXPECT_TRUE(ValidateRecordedTime("time", kNine + absl::Seconds(30), kNine, kNine).ok());
  EXPECT_EQ(ErrorReason(ValidateRecordedTime("time", kNine + absl::Minutes(5), kNine, kNine))
                .value_or(""),
            "TIME_IN_FUTURE");
  EXPECT_EQ(ErrorReason(ValidateRecordedTime("time", kNine - absl::Minutes(5), kNine, kNine))
                .value_or(""),
            "TIME_BEFORE_CHECK_IN");
}

}  // namespace
}  // namespace grassroots::volunteer
