// Volunteers, teams and activities against a real MariaDB: names kept
// sealed and answered masked, one volunteer per orgs member, teams led by
// their community's volunteers, sign-ups that never exceed capacity however
// many arrive at once, hours counted on site inside the window, and points
// credited once through the ledger however often the organiser confirms.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

using ::grassroots::testing::QueryInt;

class ActivityTest : public VolunteerServiceTest {
 protected:
  std::string VolunteerId(const std::string& community) {
    auto v = NewVolunteer(community);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? v->id() : "";
  }

  absl::StatusOr<v1::Activity> NewActivity(const std::string& community, int capacity,
                                           const std::string& type = "patrol",
                                           absl::Duration started = absl::Hours(2),
                                           absl::Duration left = absl::Hours(1)) {
    v1::CreateActivityRequest request;
    v1::Activity* a = request.mutable_activity();
    a->set_community_path(community);
    a->set_title("Evening patrol");
    a->set_activity_type(type);
    a->set_place("North gate");
    ToProtoTime(absl::Now() - started, a->mutable_start_time());
    ToProtoTime(absl::Now() + left, a->mutable_end_time());
    a->set_capacity(capacity);
    return Rpc(*activities_, &v1::ActivityService::Stub::CreateActivity, request);
  }

  absl::StatusOr<v1::Attendance> SignUp(const std::string& activity,
                                        const std::string& volunteer) const {
    v1::SignUpRequest request;
    request.set_activity_id(activity);
    request.set_volunteer_id(volunteer);
    return Rpc(*activities_, &v1::ActivityService::Stub::SignUp, request);
  }

  using Step = grpc::Status (v1::ActivityService::Stub::*)(grpc::ClientContext*,
                                                           const v1::AttendanceRequest&,
                                                           v1::Attendance*);
  absl::StatusOr<v1::Attendance> Act(Step step, const std::string& attendance) const {
    v1::AttendanceRequest request;
    request.set_attendance_id(attendance);
    return Rpc(*activities_, step, request);
  }

  absl::StatusOr<v1::Attendance> Record(bool in, const std::string& attendance, absl::Time at) {
    v1::RecordTimeRequest request;
    request.set_attendance_id(attendance);
    ToProtoTime(at, request.mutable_time());
    return Rpc(*activities_,
               in ? &v1::ActivityService::Stub::CheckIn : &v1::ActivityService::Stub::CheckOut,
               request);
  }

  void SetRule(const std::string& community, const std::string& type, int64_t per_hour,
               int64_t per_activity) {
    v1::SetPointsRuleRequest request;
    request.mutable_rule()->set_community_path(community);
    request.mutable_rule()->set_activity_type(type);
    request.mutable_rule()->set_points_per_hour(per_hour);
    request.mutable_rule()->set_points_per_activity(per_activity);
    auto set = Rpc(*activities_, &v1::ActivityService::Stub::SetPointsRule, request);
    ASSERT_TRUE(set.ok()) << set.status();
  }
};

TEST_F(ActivityTest, VolunteersAreSealedMaskedAndOnePerMember) {
  auto v = NewVolunteer("va1/s1/c1", "张三丰", "mb_va1", "", "va1-create");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->masked_name(), "张*丰");
  EXPECT_TRUE(v->name().empty());
  EXPECT_EQ(v->member_id(), "mb_va1");
  // A retry answers with the first volunteer; the member cannot register twice.
  auto retry = NewVolunteer("va1/s1/c1", "张三丰", "mb_va1", "", "va1-create");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->id(), v->id());
  auto twice = NewVolunteer("va1/s1/c1", "张三丰", "mb_va1");
  EXPECT_EQ(Reason(twice.status()), "VOLUNTEER_EXISTS");
  EXPECT_EQ(QueryInt(*Service(*suite_).env().pool,
                     absl::StrCat("SELECT COUNT(*) FROM volunteers WHERE member_id = 'mb_va1'",
                                  " AND name_cipher NOT LIKE '%三丰%'")),
            1);
  EXPECT_EQ(Reason(NewVolunteer("va1/s1/c1", "").status()), "TEXT_REQUIRED");
  EXPECT_EQ(Reason(NewVolunteer("va1/s2/c1", "李四", "", "va1/s1").status()), "OUT_OF_SCOPE");
  v1::GetVolunteerRequest get;
  get.set_id(v->id());
  EXPECT_EQ(
      Reason(Rpc(*volunteers_, &v1::VolunteerService::Stub::GetVolunteer, get, "va1/s2").status()),
      "OUT_OF_SCOPE");
  ASSERT_TRUE(NewVolunteer("va1/s1/c2", "李四").ok());
  v1::ListVolunteersRequest list;
  list.set_community_path("va1/s1/c1");
  auto listed = Rpc(*volunteers_, &v1::VolunteerService::Stub::ListVolunteers, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->volunteers_size(), 1);
  EXPECT_EQ(listed->volunteers(0).masked_name(), "张*丰");
}

TEST_F(ActivityTest, TeamsAreLedByTheirCommunitysVolunteers) {
  const std::string leader = VolunteerId("vb1/s1/c1");
  const std::string elsewhere = VolunteerId("vb1/s1/c2");
  v1::CreateTeamRequest request;
  request.mutable_team()->set_community_path("vb1/s1/c1");
  request.mutable_team()->set_display_name("老兵巡逻队");
  request.mutable_team()->add_leader_volunteer_ids(leader);
  auto team = Rpc(*volunteers_, &v1::VolunteerService::Stub::CreateTeam, request);
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_EQ(team->leader_volunteer_ids_size(), 1);
  EXPECT_EQ(Reason(Rpc(*volunteers_, &v1::VolunteerService::Stub::CreateTeam, request).status()),
            "TEAM_EXISTS");
  request.mutable_team()->set_display_name("文艺队");
  request.mutable_team()->add_leader_volunteer_ids(elsewhere);
  auto foreign = Rpc(*volunteers_, &v1::VolunteerService::Stub::CreateTeam, request);
  EXPECT_EQ(Reason(foreign.status()), "TEAM_LEADER_ELSEWHERE");
  EXPECT_EQ(ErrorField(foreign.status()).value_or(""), "team.leader_volunteer_ids[1]");
  v1::GetTeamRequest get;
  get.set_id(team->id());
  auto got = Rpc(*volunteers_, &v1::VolunteerService::Stub::GetTeam, get);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->leader_volunteer_ids(0), leader);
}

TEST_F(ActivityTest, PlacesAreTakenAndFreedUpToCapacity) {
  auto activity = NewActivity("vc1/s1/c1", 2);
  ASSERT_TRUE(activity.ok()) << activity.status();
  const std::string a = VolunteerId("vc1/s1/c1"), b = VolunteerId("vc1/s1/c1"),
                    c = VolunteerId("vc1/s1/c1");
  auto first = SignUp(activity->id(), a);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->state(), v1::ATTENDANCE_SIGNED_UP);
  ASSERT_TRUE(SignUp(activity->id(), b).ok());
  auto full = SignUp(activity->id(), c);
  EXPECT_EQ(full.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(full.status()), "ACTIVITY_FULL");
  // Signing up again is the same attendance, not another place.
  auto again = SignUp(activity->id(), a);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id(), first->id());
  auto cancelled = Act(&v1::ActivityService::Stub::CancelSignUp, first->id());
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), v1::ATTENDANCE_CANCELLED);
  ASSERT_TRUE(SignUp(activity->id(), c).ok());
  EXPECT_EQ(Reason(SignUp(activity->id(), a).status()), "ACTIVITY_FULL");
  v1::GetActivityRequest get;
  get.set_id(activity->id());
  auto now = Rpc(*activities_, &v1::ActivityService::Stub::GetActivity, get);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->signed_up(), 2);
  EXPECT_EQ(Reason(SignUp(activity->id(), "vl_nobody").status()), "VOLUNTEER_NOT_FOUND");
  auto over = NewActivity("vc1/s1/c1", 2, "patrol", absl::Hours(3), -absl::Hours(1));
  ASSERT_TRUE(over.ok()) << over.status();
  EXPECT_EQ(Reason(SignUp(over->id(), a).status()), "ACTIVITY_OVER");
  EXPECT_EQ(Reason(NewActivity("vc1/s1/c1", 0).status()), "ACTIVITY_CAPACITY_INVALID");
}

TEST_F(ActivityTest, ConcurrentSignUpsNeverExceedCapacity) {
  auto activity = NewActivity("vd1/s1/c1", 5);
  ASSERT_TRUE(activity.ok()) << activity.status();
  std::vector<std::string> volunteers;
  for (int i = 0; i < 24; ++i) volunteers.push_back(VolunteerId("vd1/s1/c1"));
  std::atomic<int> taken{0}, full{0};
  std::vector<std::thread> threads;
  for (const std::string& v : volunteers) {
    threads.emplace_back([&, v] {
      auto made = SignUp(activity->id(), v);
      if (made.ok()) {
        ++taken;
      } else if (Reason(made.status()) == "ACTIVITY_FULL") {
        ++full;
      } else {
        ADD_FAILURE() << made.status();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(taken.load(), 5);
  EXPECT_EQ(full.load(), 19);
}

TEST_F(ActivityTest, HoursCountOnSiteInsideTheWindowAndPointsAreCreditedOnce) {
  SetRule("ve1/s1/c1", "patrol", 2, 3);
  auto activity = NewActivity("ve1/s1/c1", 10);  // from 2 hours ago to 1 hour ahead
  ASSERT_TRUE(activity.ok()) << activity.status();
  auto volunteer = NewVolunteer("ve1/s1/c1");
  ASSERT_TRUE(volunteer.ok());
  auto attendance = SignUp(activity->id(), volunteer->id());
  ASSERT_TRUE(attendance.ok()) << attendance.status();
  const std::string id = attendance->id();
  EXPECT_EQ(Reason(Act(&v1::ActivityService::Stub::ConfirmAttendance, id).status()),
            "ATTENDANCE_STATE");
  EXPECT_EQ(Reason(Record(true, id, absl::Now() + absl::Hours(1)).status()), "TIME_IN_FUTURE");
  // Arrived an hour before the start: the waiting is not service.
  const absl::Time start = FromProtoTime(activity->start_time());
  ASSERT_TRUE(Record(true, id, start - absl::Hours(1)).ok());
  EXPECT_EQ(Reason(Act(&v1::ActivityService::Stub::CancelSignUp, id).status()), "ATTENDANCE_STATE");
  EXPECT_EQ(Reason(Record(false, id, start - absl::Hours(2)).status()), "TIME_BEFORE_CHECK_IN");
  ASSERT_TRUE(Record(false, id, start + absl::Minutes(100)).ok());
  auto confirmed = Act(&v1::ActivityService::Stub::ConfirmAttendance, id);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->state(), v1::ATTENDANCE_CONFIRMED);
  EXPECT_EQ(confirmed->minutes(), 100);
  EXPECT_EQ(confirmed->points(), 3 + 2 * 1);  // per attendance, per full hour
  EXPECT_EQ(confirmed->transfer_id(), absl::StrCat("attendance/", id));
  EXPECT_EQ(Balance(volunteer->account_id()), 5);
  // Confirming again, even many at once, credits nothing more.
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto again = Act(&v1::ActivityService::Stub::ConfirmAttendance, id);
      EXPECT_TRUE(again.ok()) << again.status();
      EXPECT_EQ(again.ok() ? again->points() : -1, 5);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(Balance(volunteer->account_id()), 5);
  EXPECT_EQ(Balance("community/ve1/s1/c1/issuing"), -5);
  v1::GetVolunteerRequest get;
  get.set_id(volunteer->id());
  auto hours = Rpc(*volunteers_, &v1::VolunteerService::Stub::GetVolunteer, get);
  ASSERT_TRUE(hours.ok());
  EXPECT_EQ(hours->service_minutes(), 100);
}

TEST_F(ActivityTest, ATypeWithoutARuleTakesTheCommunitysDefaultOrNone) {
  SetRule("vf1/s1/c1", "*", 0, 1);
  auto volunteer = NewVolunteer("vf1/s1/c1");
  ASSERT_TRUE(volunteer.ok());
  auto attend = [&](const std::string& community, const std::string& v) {
    auto activity = NewActivity(community, 5, "clean-up");
    EXPECT_TRUE(activity.ok()) << activity.status();
    auto a = SignUp(activity->id(), v);
    EXPECT_TRUE(a.ok()) << a.status();
    EXPECT_TRUE(Record(true, a->id(), absl::Now() - absl::Minutes(30)).ok());
    EXPECT_TRUE(Record(false, a->id(), absl::Now()).ok());
    return Act(&v1::ActivityService::Stub::ConfirmAttendance, a->id());
  };
  auto with_default = attend("vf1/s1/c1", volunteer->id());
  ASSERT_TRUE(with_default.ok()) << with_default.status();
  EXPECT_EQ(with_default->points(), 1);
  // No rule at all: the hours count, no points move.
  auto other = NewVolunteer("vf1/s1/c2");
  ASSERT_TRUE(other.ok());
  auto without = attend("vf1/s1/c2", other->id());
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_EQ(without->points(), 0);
  EXPECT_TRUE(without->transfer_id().empty());
  EXPECT_GE(without->minutes(), 29);
  v1::ListPointsRulesRequest list;
  list.set_community_path("vf1/s1/c1");
  auto rules = Rpc(*activities_, &v1::ActivityService::Stub::ListPointsRules, list);
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->rules_size(), 1);
  EXPECT_EQ(rules->rules(0).activity_type(), "*");
}

}  // namespace
}  // namespace grassroots::volunteer::testing
