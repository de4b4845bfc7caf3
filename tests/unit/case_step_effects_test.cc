#include "services/grid/case_step_effects.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/case_deadlines.h"

namespace grassroots::grid {
namespace {

absl::Time Local(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone()) -
         absl::Hours(8);
}

v1::CaseCategory Litter(bool continuous = false) {
  v1::CaseCategory c;
  c.set_code("LITTER");
  c.set_kind(v1::Case::INCIDENT);
  c.set_continuous_clock(continuous);
  auto* d = c.mutable_deadlines();
  d->set_register_minutes(60);
  d->set_dispatch_minutes(30);
  d->set_accept_minutes(60);
  d->set_handle_minutes(240);
  d->set_verify_minutes(120);
  return c;
}

class CaseStepEffectsTest : public testing::Test {
 protected:
  absl::StatusOr<CaseStepRecord> Take(CaseAction action, absl::Time now) {
    CaseStepInput input;
    input.action = action;
    input.department_id = "dp_1";
    input.resolution = v1::Case::FIXED;
    input.satisfaction = 5;
    input.extra_minutes = 120;
    input.approved = true;
    return ApplyCaseStep(row_, input, category_, calendar_, now);
  }
  absl::Time Due() const { return FromProtoTime(row_.view.step_due_time()); }

  v1::CaseCategory category_ = Litter();
  WorkCalendarRules calendar_ = DefaultWorkCalendar();
  CaseRow row_;
};

TEST_F(CaseStepEffectsTest, AWholeLifeSetsEachStepsDeadlineOnTheWorkingCalendar) {
  // Reported Friday 16:30: registration (60 working minutes) is due Monday 09:30.
  StartCase(row_, category_, calendar_, Local(2026, 12, 4, 16, 30));
  EXPECT_EQ(row_.view.state(), v1::Case::REPORTED);
  EXPECT_EQ(row_.view.level(), v1::Case::COMMUNITY);
  EXPECT_EQ(Due(), Local(2026, 12, 7, 9, 30));
  EXPECT_EQ(row_.escalation_due, row_.step_due);

  auto r = Take(CaseAction::kRegister, Local(2026, 12, 7, 9, 0));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->action, "Register");
  EXPECT_EQ(Due(), Local(2026, 12, 7, 9, 30));
  ASSERT_TRUE(Take(CaseAction::kDispatch, Local(2026, 12, 7, 9, 10)).ok());
  EXPECT_EQ(row_.view.department_id(), "dp_1");
  ASSERT_TRUE(Take(CaseAction::kAccept, Local(2026, 12, 7, 9, 20)).ok());
  EXPECT_EQ(Due(), Local(2026, 12, 7, 13, 20));  // 240 minutes of handling
  ASSERT_TRUE(Take(CaseAction::kReportHandled, Local(2026, 12, 7, 12, 0)).ok());
  ASSERT_TRUE(Take(CaseAction::kVerifyFailed, Local(2026, 12, 7, 13, 0)).ok());
  EXPECT_EQ(row_.view.state(), v1::Case::HANDLING);
  EXPECT_EQ(row_.view.rework_count(), 1);
  ASSERT_TRUE(Take(CaseAction::kReportHandled, Local(2026, 12, 7, 14, 0)).ok());
  ASSERT_TRUE(Take(CaseAction::kVerifyPassed, Local(2026, 12, 7, 15, 0)).ok());
  ASSERT_TRUE(Take(CaseAction::kClose, Local(2026, 12, 7, 15, 5)).ok());
  EXPECT_EQ(row_.view.state(), v1::Case::CLOSED);
  EXPECT_FALSE(row_.step_due.has_value());
  EXPECT_FALSE(row_.escalation_due.has_value());
  EXPECT_EQ(FromProtoTime(row_.view.close_time()), Local(2026, 12, 7, 15, 5));
  ASSERT_TRUE(Take(CaseAction::kEvaluateResolved, Local(2026, 12, 8, 10, 0)).ok());
  EXPECT_EQ(row_.view.state(), v1::Case::EVALUATED);
  EXPECT_EQ(row_.view.satisfaction(), 5);
  EXPECT_EQ(row_.step_count, 10);
}

TEST_F(CaseStepEffectsTest, NotFixedReopensAsRework) {
  StartCase(row_, category_, calendar_, Local(2026, 12, 1, 9, 0));
  for (CaseAction a : {CaseAction::kRegister, CaseAction::kDispatch, CaseAction::kAccept,
                       CaseAction::kReportHandled, CaseAction::kVerifyPassed, CaseAction::kClose}) {
    ASSERT_TRUE(Take(a, Local(2026, 12, 1, 10, 0)).ok()) << ActionName(a);
  }
  CaseStepInput input;
  input.action = CaseAction::kEvaluateNotFixed;
  input.note = "still there";
  input.resolution = v1::Case::NOT_FIXED;
  input.satisfaction = 1;
  auto r = ApplyCaseStep(row_, input, category_, calendar_, Local(2026, 12, 2, 9, 0));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(row_.view.state(), v1::Case::HANDLING);
  EXPECT_EQ(row_.view.rework_count(), 1);
  EXPECT_EQ(row_.view.resolution(), v1::Case::NOT_FIXED);
  EXPECT_FALSE(row_.view.has_close_time());
  EXPECT_EQ(Due(), Local(2026, 12, 2, 13, 0));
}

TEST_F(CaseStepEffectsTest, SuspensionPausesTheClock) {
  StartCase(row_, category_, calendar_, Local(2026, 12, 1, 9, 0));
  ASSERT_TRUE(Take(CaseAction::kRegister, Local(2026, 12, 1, 9, 0)).ok());
  ASSERT_TRUE(Take(CaseAction::kDispatch, Local(2026, 12, 1, 9, 0)).ok());
  ASSERT_TRUE(Take(CaseAction::kAccept, Local(2026, 12, 1, 9, 0)).ok());    // due 13:00
  ASSERT_TRUE(Take(CaseAction::kSuspend, Local(2026, 12, 1, 12, 0)).ok());  // 60 min left
  EXPECT_EQ(row_.view.state(), v1::Case::SUSPENDED);
  EXPECT_EQ(row_.view.suspended_from(), v1::Case::HANDLING);
  EXPECT_FALSE(row_.escalation_due.has_value());
  EXPECT_EQ(row_.suspended_remaining, absl::Minutes(60));
  // Resumed two days later at 16:30: the hour left runs 16:30-17:00 and 09:00-09:30.
  ASSERT_TRUE(Take(CaseAction::kResume, Local(2026, 12, 3, 16, 30)).ok());
  EXPECT_EQ(row_.view.state(), v1::Case::HANDLING);
  EXPECT_EQ(Due(), Local(2026, 12, 4, 9, 30));
  EXPECT_EQ(row_.escalation_due, row_.step_due);
}

TEST_F(CaseStepEffectsTest, ExtensionsNeedApprovalAndMoveTheDeadline) {
  StartCase(row_, category_, calendar_, Local(2026, 12, 1, 9, 0));
  for (CaseAction a : {CaseAction::kRegister, CaseAction::kDispatch, CaseAction::kAccept}) {
    ASSERT_TRUE(Take(a, Local(2026, 12, 1, 9, 0)).ok());
  }
  EXPECT_EQ(ErrorReason(Take(CaseAction::kDecideExtension, Local(2026, 12, 1, 10, 0)).status())
                .value_or(""),
            "NO_EXTENSION_PENDING");
  ASSERT_TRUE(Take(CaseAction::kRequestExtension, Local(2026, 12, 1, 10, 0)).ok());
  EXPECT_EQ(row_.view.pending_extension_minutes(), 120);
  EXPECT_EQ(Due(), Local(2026, 12, 1, 13, 0));  // not before approval
  EXPECT_EQ(ErrorReason(Take(CaseAction::kRequestExtension, Local(2026, 12, 1, 10, 0)).status())
                .value_or(""),
            "EXTENSION_PENDING");
  ASSERT_TRUE(Take(CaseAction::kDecideExtension, Local(2026, 12, 1, 11, 0)).ok());
  EXPECT_EQ(Due(), Local(2026, 12, 1, 15, 0));
  EXPECT_EQ(row_.view.extension_count(), 1);
  EXPECT_EQ(row_.view.pending_extension_minutes(), 0);
  // A rework's handling allowance keeps the approved extension.
  ASSERT_TRUE(Take(CaseAction::kReportHandled, Local(2026, 12, 1, 14, 0)).ok());
  ASSERT_TRUE(Take(CaseAction::kVerifyFailed, Local(2026, 12, 2, 9, 0)).ok());
  EXPECT_EQ(Due(), Local(2026, 12, 2, 15, 0));  // 240 + 120 minutes
}

TEST_F(CaseStepEffectsTest, ARefusedStepChangesNothing) {
  StartCase(row_, category_, calendar_, Local(2026, 12, 1, 9, 0));
  const CaseRow before = row_;
  auto r = Take(CaseAction::kClose, Local(2026, 12, 1, 9, 5));
  EXPECT_EQ(ErrorReason(r.status()).value_or(""), "STEP_NOT_ALLOWED");
  EXPECT_EQ(row_.view.SerializeAsString(), before.view.SerializeAsString());
  EXPECT_EQ(row_.step_count, before.step_count);
}

TEST_F(CaseStepEffectsTest, EscalationClimbsCommunityStreetDistrictThenStops) {
  category_ = Litter(/*continuous=*/true);  // a device alarm: round the clock
  StartCase(row_, category_, calendar_, Local(2026, 12, 5, 23, 0));  // Saturday night
  EXPECT_EQ(Due(), Local(2026, 12, 6, 0, 0));
  auto first = EscalateCase(row_, category_, calendar_, Local(2026, 12, 6, 0, 0));
  EXPECT_EQ(first.detail, "level=STREET");
  EXPECT_TRUE(row_.view.overdue());
  EXPECT_EQ(row_.escalation_due, Local(2026, 12, 6, 1, 0));
  auto second = EscalateCase(row_, category_, calendar_, Local(2026, 12, 6, 1, 0));
  EXPECT_EQ(second.detail, "level=DISTRICT");
  EXPECT_FALSE(row_.escalation_due.has_value());  // no level above the district
  // The next step starts a fresh clock and is no longer overdue; the level stays.
  ASSERT_TRUE(Take(CaseAction::kRegister, Local(2026, 12, 6, 1, 30)).ok());
  EXPECT_FALSE(row_.view.overdue());
  EXPECT_EQ(row_.view.level(), v1::Case::DISTRICT);
  EXPECT_EQ(Due(), Local(2026, 12, 6, 2, 0));
}

TEST(CaseDeadlinesTest, AllowancePerState) {
  const v1::CaseCategory c = Litter();
  EXPECT_EQ(StepAllowance(c, v1::Case::REPORTED, 0), absl::Minutes(60));
  EXPECT_EQ(StepAllowance(c, v1::Case::REGISTERED, 0), absl::Minutes(30));
  EXPECT_EQ(StepAllowance(c, v1::Case::DISPATCHED, 0), absl::Minutes(60));
  EXPECT_EQ(StepAllowance(c, v1::Case::HANDLING, 30), absl::Minutes(270));
  EXPECT_EQ(StepAllowance(c, v1::Case::HANDLED, 0), absl::Minutes(120));
  EXPECT_EQ(StepAllowance(c, v1::Case::VERIFIED, 0), absl::Minutes(120));
  for (auto s : {v1::Case::CLOSED, v1::Case::EVALUATED, v1::Case::REJECTED, v1::Case::SUSPENDED}) {
    EXPECT_EQ(StepAllowance(c, s, 0), absl::ZeroDuration());
    EXPECT_FALSE(StepDue(c, DefaultWorkCalendar(), s, 0, absl::Now()).has_value());
  }
}

}  // namespace
}  // namespace grassroots::grid
