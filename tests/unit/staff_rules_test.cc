#include "services/grid/staff_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

const absl::CivilDay kJan1(2026, 1, 1), kJul1(2026, 7, 1), kDec31(2026, 12, 31);

Holding Leader(const std::string& id, StaffPeriod period, const std::string& person = "p1") {
  return Holding{id, v1::GRID_LEADER, person, "王*", "", period};
}

TEST(StaffRulesTest, RolesPeopleAndBuildings) {
  for (auto role : {v1::GRID_LEADER, v1::BUILDING_LEADER, v1::GRID_WORKER}) {
    EXPECT_TRUE(ValidateStaffRole("r", role).ok());
  }
  EXPECT_EQ(Reason(ValidateStaffRole("r", v1::STAFF_ROLE_UNSPECIFIED)), "STAFF_ROLE_REQUIRED");
  EXPECT_TRUE(ValidatePersonRef("p", "careers:wk_0192-a.b_C").ok());
  EXPECT_TRUE(ValidatePersonRef("p", std::string(64, 'a')).ok());
  EXPECT_EQ(Reason(ValidatePersonRef("p", std::string(65, 'a'))), "PERSON_REF_INVALID");
  EXPECT_EQ(Reason(ValidatePersonRef("p", "")), "PERSON_REF_INVALID");
  EXPECT_EQ(Reason(ValidatePersonRef("p", "王五")), "PERSON_REF_INVALID");
  EXPECT_TRUE(ValidateRoleBuilding(v1::BUILDING_LEADER, "bd1").ok());
  EXPECT_EQ(Reason(ValidateRoleBuilding(v1::BUILDING_LEADER, "")), "BUILDING_REQUIRED");
  EXPECT_EQ(Reason(ValidateRoleBuilding(v1::GRID_WORKER, "bd1")), "BUILDING_NOT_ALLOWED");
  EXPECT_TRUE(ValidateRoleBuilding(v1::GRID_LEADER, "").ok());
}

TEST(StaffRulesTest, PeriodsRunUpToTheDayBeforeTheirEnd) {
  EXPECT_TRUE(ValidatePeriod({kJan1, kJan1 + 1}).ok());
  EXPECT_EQ(Reason(ValidatePeriod({kJan1, kJan1})), "END_NOT_AFTER_START");
  EXPECT_EQ(Reason(ValidatePeriod({kJan1, kJan1 - 1})), "END_NOT_AFTER_START");
  EXPECT_TRUE(ValidatePeriod({kJan1, std::nullopt}).ok());
  const StaffPeriod first{kJan1, kJul1};
  EXPECT_TRUE(HeldOn(first, kJan1));
  EXPECT_TRUE(HeldOn(first, kJul1 - 1));
  EXPECT_FALSE(HeldOn(first, kJul1));
  EXPECT_FALSE(HeldOn(first, kJan1 - 1));
  EXPECT_TRUE(HeldOn({kJan1, std::nullopt}, kDec31 + 1000));
  EXPECT_EQ(Describe(first), "from 2026-01-01 up to 2026-06-30");
  EXPECT_EQ(Describe({kJul1, std::nullopt}), "from 2026-07-01 on");
}

TEST(StaffRulesTest, OverlapsAtAndEitherSideOfTheEnd) {
  const StaffPeriod first{kJan1, kJul1};
  EXPECT_FALSE(Overlaps(first, {kJul1, std::nullopt}));     // the successor's first day
  EXPECT_TRUE(Overlaps(first, {kJul1 - 1, std::nullopt}));  // a day early
  EXPECT_FALSE(Overlaps(first, {kJul1 + 1, kDec31}));
  EXPECT_TRUE(Overlaps({kJan1, std::nullopt}, {kDec31, std::nullopt}));
  EXPECT_FALSE(Overlaps({kJul1, std::nullopt}, {kJan1, kJul1}));
  EXPECT_TRUE(Overlaps({kJan1 - 10, kJan1 + 1}, first));
  EXPECT_FALSE(Overlaps({kJan1 - 10, kJan1}, first));
}

TEST(StaffRulesTest, OneGridLeaderAtATime) {
  const std::vector<Holding> others = {Leader("a1", {kJan1, kJul1})};
  EXPECT_TRUE(CheckAssignment(Leader("new", {kJul1, std::nullopt}, "p2"), others).ok());
  const absl::Status taken =
      CheckAssignment(Leader("new", {kJul1 - 1, std::nullopt}, "p2"), others);
  EXPECT_EQ(Reason(taken), "GRID_LEADER_TAKEN");
  EXPECT_EQ(taken.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(taken.message().find("王* leads it from 2026-01-01 up to 2026-06-30"),
            absl::string_view::npos)
      << taken.message();
  // The assignment itself is skipped (an update moving its own period).
  EXPECT_TRUE(CheckAssignment(Leader("a1", {kJan1, kDec31}), others).ok());
  // Workers are many; a worker may also lead.
  Holding worker{"w1", v1::GRID_WORKER, "p2", "李*", "", {kJan1, std::nullopt}};
  EXPECT_TRUE(CheckAssignment(worker, others).ok());
  EXPECT_TRUE(CheckAssignment(Leader("new", {kJul1, std::nullopt}, "p2"), {worker}).ok());
}

TEST(StaffRulesTest, APersonHoldsARoleOnceAtATime) {
  Holding worker{"w1", v1::GRID_WORKER, "p2", "李*", "", {kJan1, kJul1}};
  Holding again = worker;
  again.id = "w2";
  again.period = {kJul1 - 1, std::nullopt};
  EXPECT_EQ(Reason(CheckAssignment(again, {worker})), "ASSIGNMENT_OVERLAPS");
  again.period = {kJul1, std::nullopt};
  EXPECT_TRUE(CheckAssignment(again, {worker}).ok());
  Holding building_a{"b1", v1::BUILDING_LEADER, "p3", "赵*", "bd_a", {kJan1, std::nullopt}};
  Holding building_b = building_a;
  building_b.id = "b2";
  building_b.building_id = "bd_b";
  EXPECT_TRUE(CheckAssignment(building_b, {building_a}).ok());  // two buildings
  building_b.building_id = "bd_a";
  EXPECT_EQ(Reason(CheckAssignment(building_b, {building_a})), "ASSIGNMENT_OVERLAPS");
}

}  // namespace
}  // namespace grassroots::grid
