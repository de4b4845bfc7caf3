// careers as the source of community workers' working hours, with the real
// processes: a volunteer linked to a careers worker whose week covers the
// activity has their hours refused as work, one linked to a worker careers
// does not hold is refused WORKER_NOT_FOUND; with careers stopped that
// confirmation waits (UNAVAILABLE, CAREERS_UNAVAILABLE) while an unlinked
// volunteer's goes on; once careers is back and records the worker as
// left, the hours count as volunteering.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/time/proto_time.h"
#include "grassroots/careers/v1/worker.grpc.pb.h"
#include "grassroots/volunteer/v1/activity.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "tests/e2e/volunteer_gateway_fixture.h"

namespace grassroots {
namespace {

using testing::Parse;
using testing::VolunteerGatewayTest;
namespace v1 = volunteer::v1;

TEST_F(VolunteerGatewayTest, ACommunityWorkersHoursComeFromCareers) {
  // Every minute of every day is the worker's working time.
  auto hired = PostCareersJson(
      "WorkerService/CreateWorker",
      R"({"worker":{"communityPath":"ve-d/s1/c4","name":"王秀英","idNumber":"110101199003071233",)"
      R"("post":"POST_FULL_TIME_STAFF","grade":3,"entryChannel":"ENTRY_EXTERNAL_RECRUITMENT",)"
      R"("hireDate":"2020-03-01","workingHours":{"weekdays":127,"startMinute":0,)"
      R"("endMinute":1440,"utcOffsetMinutes":480}}})",
      "city-secret");
  ASSERT_EQ(hired.status, 200) << hired.body;
  const auto worker = Parse<careers::v1::Worker>(hired.body);
  auto linked = PostJson("VolunteerService/CreateVolunteer",
                         absl::StrCat(R"({"volunteer":{"communityPath":"ve-d/s1/c4",)",
                                      R"("name":"王秀英","workerId":")", worker.id(), R"("}})"),
                         "street-secret");
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(Parse<v1::Volunteer>(linked.body).worker_id(), worker.id());
  auto resident =
      PostJson("VolunteerService/CreateVolunteer",
               R"({"volunteer":{"communityPath":"ve-d/s1/c4","name":"李四"}})", "street-secret");
  ASSERT_EQ(resident.status, 200) << resident.body;

  auto activities = v1::ActivityService::NewStub(GatewayChannel());
  v1::CreateActivityRequest create;
  v1::Activity* a = create.mutable_activity();
  a->set_community_path("ve-d/s1/c4");
  a->set_title("Clearing the courtyard");
  a->set_activity_type("cleaning");
  a->set_place("Building 3");
  a->set_capacity(5);
  ToProtoTime(absl::Now() - absl::Hours(1), a->mutable_start_time());
  ToProtoTime(absl::Now() + absl::Hours(1), a->mutable_end_time());
  v1::Activity activity;
  grpc::Status s = activities->CreateActivity(Context("street-secret").get(), create, &activity);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // Both sign up, arrive 50 minutes ago and leave now.
  auto attend = [&](const std::string& volunteer_json) {
    v1::SignUpRequest sign_up;
    sign_up.set_activity_id(activity.id());
    sign_up.set_volunteer_id(Parse<v1::Volunteer>(volunteer_json).id());
    v1::Attendance attendance;
    EXPECT_TRUE(activities->SignUp(Context("street-secret").get(), sign_up, &attendance).ok());
    v1::RecordTimeRequest at;
    at.set_attendance_id(attendance.id());
    ToProtoTime(absl::Now() - absl::Minutes(50), at.mutable_time());
    EXPECT_TRUE(activities->CheckIn(Context("street-secret").get(), at, &attendance).ok());
    ToProtoTime(absl::Now(), at.mutable_time());
    EXPECT_TRUE(activities->CheckOut(Context("street-secret").get(), at, &attendance).ok());
    return attendance.id();
  };
  const std::string worker_attendance = attend(linked.body);
  const std::string resident_attendance = attend(resident.body);
  const auto confirm_json = [](const std::string& id) {
    return absl::StrCat(R"({"attendanceId":")", id, R"("})");
  };

  v1::AttendanceRequest confirm;
  confirm.set_attendance_id(worker_attendance);
  v1::Attendance answer;
  s = activities->ConfirmAttendance(Context("street-secret").get(), confirm, &answer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_NE(s.error_message().find("working hours"), std::string::npos) << s.error_message();

  // A link to a worker careers does not hold is refused, not guessed at.
  auto mislinked = PostJson(
      "VolunteerService/CreateVolunteer",
      R"({"volunteer":{"communityPath":"ve-d/s1/c4","name":"张三","workerId":"wk_nobody"}})",
      "street-secret");
  ASSERT_EQ(mislinked.status, 200) << mislinked.body;
  auto refused = PostJson("ActivityService/ConfirmAttendance", confirm_json(attend(mislinked.body)),
                          "street-secret");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find(R"("reason":"WORKER_NOT_FOUND")"), std::string::npos) << refused.body;

  StopCareers();
  auto waiting = PostJson("ActivityService/ConfirmAttendance", confirm_json(worker_attendance),
                          "street-secret");
  EXPECT_EQ(waiting.status, 503) << waiting.body;
  EXPECT_NE(waiting.body.find(R"("reason":"CAREERS_UNAVAILABLE")"), std::string::npos)
      << waiting.body;
  auto counted = PostJson("ActivityService/ConfirmAttendance", confirm_json(resident_attendance),
                          "street-secret");
  ASSERT_EQ(counted.status, 200) << counted.body;
  EXPECT_EQ(Parse<v1::Attendance>(counted.body).minutes(), 50);

  // careers back, the worker recorded as left: no longer a community worker.
  // The gateway's and volunteer's channels to careers reconnect with
  // backoff: a call may be UNAVAILABLE for a while after careers is back.
  StartCareers();
  const std::string leave = absl::StrCat(R"({"id":")", worker.id(), R"(","etag":")", worker.etag(),
                                         R"(","kind":"CHANGE_LEAVE","effectiveDate":"2026-06-30",)"
                                         R"("reason":"moved to another city"})");
  auto left = PostCareersJson("WorkerService/ChangeWorker", leave, "city-secret");
  for (int i = 0; i < 100 && left.status == 503; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    left = PostCareersJson("WorkerService/ChangeWorker", leave, "city-secret");
  }
  ASSERT_EQ(left.status, 200) << left.body;
  s = activities->ConfirmAttendance(Context("street-secret").get(), confirm, &answer);
  for (int i = 0; i < 100 && s.error_code() == grpc::StatusCode::UNAVAILABLE; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    s = activities->ConfirmAttendance(Context("street-secret").get(), confirm, &answer);
  }
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(answer.state(), v1::ATTENDANCE_CONFIRMED);
  EXPECT_EQ(answer.minutes(), 50);
}

}  // namespace
}  // namespace grassroots
