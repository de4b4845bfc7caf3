// Co-building projects: every transition allowed and refused, and overdue
// at and either side of the due date.
#include "services/orgs/co_building_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

using P = v1::CoBuildingProject;

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST(CoBuildingRulesTest, EveryTransition) {
  struct Case {
    P::State from, to;
    const char* reason;
  };
  const Case cases[] = {
      {P::PLANNED, P::IN_PROGRESS, "OK"},
      {P::PLANNED, P::CANCELLED, "OK"},
      {P::PLANNED, P::DONE, "PROJECT_STEP_SKIPPED"},
      {P::PLANNED, P::PLANNED, "PROJECT_STATE_INVALID"},
      {P::IN_PROGRESS, P::DONE, "OK"},
      {P::IN_PROGRESS, P::CANCELLED, "OK"},
      {P::IN_PROGRESS, P::IN_PROGRESS, "PROJECT_STATE_UNCHANGED"},
      {P::IN_PROGRESS, P::PLANNED, "PROJECT_STATE_INVALID"},
      {P::DONE, P::IN_PROGRESS, "PROJECT_CLOSED"},
      {P::DONE, P::CANCELLED, "PROJECT_CLOSED"},
      {P::DONE, P::DONE, "PROJECT_CLOSED"},
      {P::CANCELLED, P::IN_PROGRESS, "PROJECT_CLOSED"},
      {P::CANCELLED, P::DONE, "PROJECT_CLOSED"},
      {P::CANCELLED, P::CANCELLED, "PROJECT_CLOSED"},
      {P::PLANNED, P::STATE_UNSPECIFIED, "PROJECT_STATE_INVALID"},
  };
  for (const Case& c : cases) {
    const absl::Status s = CheckProjectTransition(c.from, c.to);
    EXPECT_EQ(Reason(s), c.reason) << P::State_Name(c.from) << " -> " << P::State_Name(c.to);
    if (std::string(c.reason) != "OK" && std::string(c.reason) != "PROJECT_STATE_INVALID") {
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
    }
  }
  EXPECT_EQ(CheckProjectTransition(P::PLANNED, P::PLANNED).code(),
            absl::StatusCode::kInvalidArgument);
  const absl::Status skipped = CheckProjectTransition(P::PLANNED, P::DONE);
  EXPECT_NE(skipped.message().find("PLANNED to DONE"), std::string::npos) << skipped;
}

TEST(CoBuildingRulesTest, OverdueTheDayAfterTheDueDateWhileOpen) {
  const absl::CivilDay due(2026, 9, 30);
  EXPECT_FALSE(IsOverdue(P::PLANNED, due, due - 1));
  EXPECT_FALSE(IsOverdue(P::PLANNED, due, due));
  EXPECT_TRUE(IsOverdue(P::PLANNED, due, due + 1));
  EXPECT_TRUE(IsOverdue(P::IN_PROGRESS, due, due + 1));
  EXPECT_FALSE(IsOverdue(P::DONE, due, due + 1));
  EXPECT_FALSE(IsOverdue(P::CANCELLED, due, due + 100));
}

TEST(CoBuildingRulesTest, NewProjectsFallDueTodayOrLater) {
  const absl::CivilDay today(2026, 5, 1);
  EXPECT_TRUE(ValidateProjectDueDate("d", today, today).ok());
  EXPECT_TRUE(ValidateProjectDueDate("d", today + 1, today).ok());
  EXPECT_EQ(Reason(ValidateProjectDueDate("d", today - 1, today)), "DUE_DATE_PAST");
}

}  // namespace
}  // namespace grassroots::orgs
