// A community worker's hours during working hours are not volunteering,
// against a real MariaDB: the roster volunteer admins keep (until careers
// is the source) takes the working minutes out of a confirmed attendance
// and refuses one entirely in working hours.
#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

class RosterTest : public VolunteerServiceTest {
 protected:
  // An offset that makes `now` noon, local time, so the test's hours never
  // cross midnight whenever it runs.
  static int NoonOffset(absl::Time now) {
    const absl::CivilMinute utc = absl::ToCivilMinute(now, absl::UTCTimeZone());
    int offset = 720 - (utc.hour() * 60 + utc.minute());
    if (offset <= -720) offset += 1440;
    return offset;
  }
  absl::StatusOr<v1::WorkingHours> SetHours(const std::string& volunteer, int start, int end,
                                            int offset) {
    v1::SetWorkingHoursRequest request;
    v1::WorkingHours* h = request.mutable_hours();
    h->set_volunteer_id(volunteer);
    h->set_weekdays(0x7f);
    h->set_start_minute(start);
    h->set_end_minute(end);
    h->set_utc_offset_minutes(offset);
    return Rpc(*roster_, &v1::RosterService::Stub::SetWorkingHours, request);
  }
  // Checked in an hour ago and out now at an activity of `community`.
  std::string Attended(const std::string& community, const std::string& volunteer, absl::Time now) {
    v1::CreateActivityRequest create;
    v1::Activity* a = create.mutable_activity();
    a->set_community_path(community);
    a->set_title("Helping at the canteen");
    a->set_activity_type("canteen");
    a->set_place("Community canteen");
    a->set_capacity(5);
    ToProtoTime(now - absl::Hours(2), a->mutable_start_time());
    ToProtoTime(now + absl::Hours(1), a->mutable_end_time());
    auto activity = Rpc(*activities_, &v1::ActivityService::Stub::CreateActivity, create);
    EXPECT_TRUE(activity.ok()) << activity.status();
    v1::SignUpRequest sign_up;
    sign_up.set_activity_id(activity->id());
    sign_up.set_volunteer_id(volunteer);
    auto attendance = Rpc(*activities_, &v1::ActivityService::Stub::SignUp, sign_up);
    EXPECT_TRUE(attendance.ok()) << attendance.status();
    v1::RecordTimeRequest at;
    at.set_attendance_id(attendance->id());
    ToProtoTime(now - absl::Hours(1), at.mutable_time());
    EXPECT_TRUE(Rpc(*activities_, &v1::ActivityService::Stub::CheckIn, at).ok());
    ToProtoTime(now, at.mutable_time());
    EXPECT_TRUE(Rpc(*activities_, &v1::ActivityService::Stub::CheckOut, at).ok());
    return attendance->id();
  }
  absl::StatusOr<v1::Attendance> Confirm(const std::string& attendance) {
    v1::AttendanceRequest request;
    request.set_attendance_id(attendance);
    return Rpc(*activities_, &v1::ActivityService::Stub::ConfirmAttendance, request);
  }
};

TEST_F(RosterTest, AWorkersMinutesInWorkingHoursAreNotCounted) {
  const absl::Time now = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()) / 60 * 60);
  const int offset = NoonOffset(now);
  auto worker = NewVolunteer("ro1/s1/c1");
  ASSERT_TRUE(worker.ok()) << worker.status();
  // On duty 11:00-11:30 local; on site 11:00-12:00: 30 minutes volunteering.
  auto hours = SetHours(worker->id(), 11 * 60, 11 * 60 + 30, offset);
  ASSERT_TRUE(hours.ok()) << hours.status();
  EXPECT_NE(hours->description().find("11:00-11:30"), std::string::npos);
  auto confirmed = Confirm(Attended("ro1/s1/c1", worker->id(), now));
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->minutes(), 30);

  // Anyone not on the roster keeps every minute.
  auto resident = NewVolunteer("ro1/s1/c1");
  ASSERT_TRUE(resident.ok()) << resident.status();
  auto all = Confirm(Attended("ro1/s1/c1", resident->id(), now));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->minutes(), 60);
}

TEST_F(RosterTest, AnAttendanceEntirelyInWorkingHoursIsRefused) {
  const absl::Time now = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()) / 60 * 60);
  auto worker = NewVolunteer("ro2/s1/c1");
  ASSERT_TRUE(worker.ok()) << worker.status();
  ASSERT_TRUE(SetHours(worker->id(), 0, 1440, NoonOffset(now)).ok());
  const std::string attendance = Attended("ro2/s1/c1", worker->id(), now);
  auto refused = Confirm(attendance);
  EXPECT_EQ(Reason(refused.status()), "WORKING_HOURS_NOT_VOLUNTEERING");
  // Off the roster (careers will say so), the same attendance counts.
  v1::GetWorkingHoursRequest clear;
  clear.set_volunteer_id(worker->id());
  ASSERT_TRUE(Rpc(*roster_, &v1::RosterService::Stub::ClearWorkingHours, clear).ok());
  EXPECT_EQ(Reason(Rpc(*roster_, &v1::RosterService::Stub::GetWorkingHours, clear).status()),
            "WORKING_HOURS_NOT_FOUND");
  auto confirmed = Confirm(attendance);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->minutes(), 60);
}

TEST_F(RosterTest, HoursAreValidatedAndKeptPerStreet) {
  auto worker = NewVolunteer("ro3/s1/c1");
  ASSERT_TRUE(worker.ok()) << worker.status();
  EXPECT_EQ(Reason(SetHours(worker->id(), 600, 500, 480).status()), "WORKING_HOURS_INVALID");
  EXPECT_EQ(Reason(SetHours("vl_nobody", 540, 1020, 480).status()), "VOLUNTEER_NOT_FOUND");
  ASSERT_TRUE(SetHours(worker->id(), 540, 1020, 480).ok());
  v1::GetWorkingHoursRequest get;
  get.set_volunteer_id(worker->id());
  EXPECT_EQ(
      Reason(Rpc(*roster_, &v1::RosterService::Stub::GetWorkingHours, get, "ro3/s2").status()),
      "OUT_OF_SCOPE");
  auto got = Rpc(*roster_, &v1::RosterService::Stub::GetWorkingHours, get, "ro3/s1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->start_minute(), 540);
}

}  // namespace
}  // namespace grassroots::volunteer::testing
