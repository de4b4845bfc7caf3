// The coverage rule: which places must have a party organisation, and who
// may take which place into its care.
#include "services/orgs/coverage_rules.h"

#include <gtest/gtest.h>

namespace grassroots::orgs {
namespace {

PlaceFigures Compound(int residents, int full, int own = 0, int joint = 0) {
  return {v1::RESIDENTIAL_COMPOUND, residents, 0, full, own, joint};
}
PlaceFigures Workplace(v1::PlaceKind kind, int employees, int full, int own = 0, int joint = 0) {
  return {kind, 0, employees, full, own, joint};
}

std::string RuleOf(const PlaceFigures& place, const FormationThresholds& t = {}) {
  auto finding = CoverageFindingFor(place, t);
  return finding ? finding->rule : "";
}

TEST(CoverageRulesTest, ACompoundNeedsThreeFullMembersAndFiveHundredResidents) {
  EXPECT_EQ(RuleOf(Compound(500, 3)), "COMPOUND_COVERAGE");
  EXPECT_EQ(RuleOf(Compound(499, 3)), "");
  EXPECT_EQ(RuleOf(Compound(500, 2)), "");
  EXPECT_EQ(RuleOf(Compound(5000, 30, /*own=*/1)), "");
  auto finding = CoverageFindingFor(Compound(620, 4), {});
  ASSERT_TRUE(finding.has_value());
  EXPECT_EQ(finding->action, v1::UncoveredPlace::FORM);
  EXPECT_NE(finding->message.find("4 full members and 620 residents"), std::string::npos)
      << finding->message;
}

TEST(CoverageRulesTest, AWorkplaceWithThreeHundredEmployeesNeedsOne) {
  EXPECT_EQ(RuleOf(Workplace(v1::COMMERCIAL_BUILDING, 300, 0)), "WORKPLACE_COVERAGE");
  EXPECT_EQ(RuleOf(Workplace(v1::MARKET, 299, 0)), "");
  EXPECT_EQ(RuleOf(Workplace(v1::COMPLEX, 900, 0, 0, /*joint=*/1)), "");
  EXPECT_EQ(RuleOf(Workplace(v1::ENTERPRISE, 300, 1)), "WORKPLACE_COVERAGE");
}

TEST(CoverageRulesTest, UnitsFormTheirOwnBranchOrJoinAJointOne) {
  EXPECT_EQ(RuleOf(Workplace(v1::ENTERPRISE, 40, 3)), "UNIT_MUST_FORM_BRANCH");
  // Three full members in a joint branch still must stand alone.
  EXPECT_EQ(RuleOf(Workplace(v1::SOCIAL_ORGANISATION, 40, 3, 0, 1)), "UNIT_MUST_FORM_BRANCH");
  EXPECT_EQ(RuleOf(Workplace(v1::ENTERPRISE, 40, 3, 1)), "");
  auto small = CoverageFindingFor(Workplace(v1::ENTERPRISE, 40, 2), {});
  ASSERT_TRUE(small.has_value());
  EXPECT_EQ(small->rule, "UNIT_MUST_JOIN_JOINT_BRANCH");
  EXPECT_EQ(small->action, v1::UncoveredPlace::JOIN_JOINT_BRANCH);
  EXPECT_EQ(RuleOf(Workplace(v1::ENTERPRISE, 40, 2, 0, 1)), "");
  EXPECT_EQ(RuleOf(Workplace(v1::ENTERPRISE, 40, 0)), "");
  // A building is not a unit: its members do not oblige it to form a branch.
  EXPECT_EQ(RuleOf(Workplace(v1::COMMERCIAL_BUILDING, 40, 5)), "");
}

TEST(CoverageRulesTest, TheRegionsThresholdsApply) {
  FormationThresholds t;
  t.compound_min_residents = 300;
  t.workplace_min_employees = 200;
  t.min_full_members_for_branch = 5;
  EXPECT_EQ(RuleOf(Compound(300, 3), t), "COMPOUND_COVERAGE");
  EXPECT_EQ(RuleOf(Workplace(v1::MARKET, 200, 0), t), "WORKPLACE_COVERAGE");
  EXPECT_EQ(RuleOf(Workplace(v1::ENTERPRISE, 20, 4), t), "UNIT_MUST_JOIN_JOINT_BRANCH");
}

TEST(CoverageRulesTest, WhoMayCoverWhat) {
  const FormationThresholds t;
  EXPECT_TRUE(CheckCover(v1::COMPOUND_BRANCH, Compound(600, 3), 0, t).ok());
  EXPECT_EQ(CheckCover(v1::COMPOUND_BRANCH, Workplace(v1::MARKET, 10, 0), 0, t).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckCover(v1::JOINT_BRANCH, Compound(600, 3), 0, t).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckCover(v1::TWO_NEW_ORGANISATION, Workplace(v1::ENTERPRISE, 10, 5), 0, t).ok());
  EXPECT_TRUE(CheckCover(v1::GRID_BRANCH, Compound(600, 3), 3, t).ok());
  EXPECT_FALSE(CheckCover(v1::STREET_WORKING_COMMITTEE, Compound(600, 3), 0, t).ok());
  EXPECT_FALSE(CheckCover(v1::TEMPORARY_BRANCH, Workplace(v1::ENTERPRISE, 10, 1), 0, t).ok());
}

TEST(CoverageRulesTest, AJointBranchTakesFiveSmallUnitsAtMost) {
  const FormationThresholds t;
  EXPECT_TRUE(CheckCover(v1::JOINT_BRANCH, Workplace(v1::ENTERPRISE, 10, 2), 4, t).ok());
  auto full = CheckCover(v1::JOINT_BRANCH, Workplace(v1::ENTERPRISE, 10, 2), 5, t);
  EXPECT_EQ(full.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(full.message().find("at most 5 units and this one covers 5"), std::string::npos)
      << full.message();
  auto big = CheckCover(v1::JOINT_BRANCH, Workplace(v1::ENTERPRISE, 10, 3), 0, t);
  EXPECT_EQ(big.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(big.message().find("forms its own branch"), std::string::npos) << big.message();
  // A building with many members may still be in a joint (building) branch.
  EXPECT_TRUE(CheckCover(v1::JOINT_BRANCH, Workplace(v1::COMMERCIAL_BUILDING, 10, 9), 0, t).ok());
}

TEST(CoverageRulesTest, CountsBelongToTheirKind) {
  EXPECT_TRUE(ValidatePlaceCounts(v1::RESIDENTIAL_COMPOUND, 800, 0).ok());
  EXPECT_FALSE(ValidatePlaceCounts(v1::RESIDENTIAL_COMPOUND, 800, 5).ok());
  EXPECT_FALSE(ValidatePlaceCounts(v1::MARKET, 3, 50).ok());
  EXPECT_FALSE(ValidatePlaceCounts(v1::MARKET, 0, -1).ok());
  EXPECT_FALSE(ValidatePlaceKind("place.kind", v1::PLACE_KIND_UNSPECIFIED).ok());
  EXPECT_TRUE(ValidatePlaceKind("place.kind", v1::COMPLEX).ok());
}

}  // namespace
}  // namespace grassroots::orgs
