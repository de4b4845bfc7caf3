// The branch regulations as work items.
#include "services/orgs/formation_rules.h"

#include <gtest/gtest.h>

namespace grassroots::orgs {
namespace {

std::vector<std::string> Rules(v1::OrganisationKind kind, int full, int probationary,
                               FormationThresholds thresholds = {}) {
  std::vector<std::string> rules;
  for (const auto& item : FormationWorkItems({kind, full, probationary}, thresholds)) {
    rules.push_back(item.rule);
  }
  return rules;
}

using Strings = std::vector<std::string>;

TEST(FormationRulesTest, ABranchNeedsThreeFullMembers) {
  EXPECT_EQ(Rules(v1::GRID_BRANCH, 2, 5), Strings{"MIN_FULL_MEMBERS"});
  EXPECT_EQ(Rules(v1::GRID_BRANCH, 3, 0), Strings{});
  EXPECT_EQ(Rules(v1::TWO_NEW_ORGANISATION, 0, 0), Strings{"MIN_FULL_MEMBERS"});
  // Joint and temporary branches exist for the small and the short-lived.
  EXPECT_EQ(Rules(v1::JOINT_BRANCH, 1, 0), Strings{});
  EXPECT_EQ(Rules(v1::TEMPORARY_BRANCH, 1, 0), Strings{});
  // Committees are not branches.
  EXPECT_EQ(Rules(v1::COMMUNITY_COMMITTEE, 0, 0), Strings{});
  auto items = FormationWorkItems({v1::COMPOUND_BRANCH, 2, 0}, {});
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].action, FormationWorkItem::Action::kMerge);
  EXPECT_NE(items[0].message.find("at least 3"), std::string::npos) << items[0].message;
  EXPECT_NE(items[0].message.find("has 2"), std::string::npos) << items[0].message;
}

TEST(FormationRulesTest, SizesAboveTheLimitsSplit) {
  EXPECT_EQ(Rules(v1::GRID_BRANCH, 50, 0), Strings{});
  EXPECT_EQ(Rules(v1::GRID_BRANCH, 45, 6), Strings{"MAX_BRANCH_MEMBERS"});
  EXPECT_EQ(Rules(v1::COMMUNITY_GENERAL_BRANCH, 100, 0), Strings{});
  EXPECT_EQ(Rules(v1::COMMUNITY_GENERAL_BRANCH, 101, 0), Strings{"MAX_GENERAL_BRANCH_MEMBERS"});
  EXPECT_EQ(Rules(v1::COMMUNITY_COMMITTEE, 500, 0), Strings{});
}

// The committee rule's items for a branch of `kind` whose roster has
// `roster_full` full members holding `seats` seats (its own full members:
// 4, below the committee rule's 7, so the rule must read the roster).
std::vector<FormationWorkItem> CommitteeItems(v1::OrganisationKind kind, int roster_full,
                                              int seats) {
  return FormationWorkItems({kind, 4, 0, 0, roster_full, seats}, {});
}

TEST(FormationRulesTest, SevenFullMembersNeedACommitteeOfThreeToFive) {
  // At the threshold and either side of it.
  EXPECT_TRUE(CommitteeItems(v1::GRID_BRANCH, 6, 0).empty());
  auto items = CommitteeItems(v1::GRID_BRANCH, 7, 2);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].action, FormationWorkItem::Action::kFormCommittee);
  EXPECT_EQ(items[0].rule, "BRANCH_COMMITTEE_REQUIRED");
  EXPECT_EQ(items[0].full_members, 7);
  EXPECT_EQ(items[0].message,
            "a branch with 7 or more full members needs a branch committee of 3 to 5: 7 full "
            "members, 2 seats");
  EXPECT_EQ(CommitteeItems(v1::COMPOUND_BRANCH, 8, 0).size(), 1u);
  // Seats at and either side of 3 and 5.
  EXPECT_TRUE(CommitteeItems(v1::GRID_BRANCH, 7, 3).empty());
  EXPECT_TRUE(CommitteeItems(v1::GRID_BRANCH, 7, 5).empty());
  items = CommitteeItems(v1::GRID_BRANCH, 9, 6);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].rule, "BRANCH_COMMITTEE_TOO_LARGE");
  EXPECT_EQ(items[0].action, FormationWorkItem::Action::kFormCommittee);
  EXPECT_NE(items[0].message.find("9 full members, 6 seats"), std::string::npos)
      << items[0].message;
  // Only branches: a community committee or general branch is judged by its
  // own rules, a building group has a group leader.
  EXPECT_TRUE(CommitteeItems(v1::COMMUNITY_COMMITTEE, 30, 0).empty());
  EXPECT_TRUE(CommitteeItems(v1::COMMUNITY_GENERAL_BRANCH, 30, 0).empty());
  EXPECT_TRUE(CommitteeItems(v1::BUILDING_GROUP, 8, 0).empty());
  // Every other item counts the organisation's own full members.
  items = FormationWorkItems({v1::GRID_BRANCH, 2, 0, 0, 7, 0}, {});
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].rule, "MIN_FULL_MEMBERS");
  EXPECT_EQ(items[0].full_members, 2);
  EXPECT_EQ(items[1].rule, "BRANCH_COMMITTEE_REQUIRED");
  EXPECT_EQ(items[1].full_members, 7);
}

TEST(FormationRulesTest, ThresholdsAreTheRegions) {
  FormationThresholds strict;
  strict.min_full_members_for_branch = 5;
  strict.max_branch_members = 30;
  EXPECT_EQ(Rules(v1::GRID_BRANCH, 4, 0, strict), Strings{"MIN_FULL_MEMBERS"});
  EXPECT_EQ(Rules(v1::GRID_BRANCH, 31, 0, strict), Strings{"MAX_BRANCH_MEMBERS"});
}

TEST(FormationRulesTest, AJointBranchCoversAtMostFiveUnits) {
  EXPECT_TRUE(FormationWorkItems({v1::JOINT_BRANCH, 4, 0, 5}, {}).empty());
  auto items = FormationWorkItems({v1::JOINT_BRANCH, 4, 0, 6}, {});
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].rule, "JOINT_BRANCH_MAX_UNITS");
  EXPECT_EQ(items[0].action, FormationWorkItem::Action::kSplit);
  EXPECT_NE(items[0].message.find("at most 5 units and this one covers 6"), std::string::npos)
      << items[0].message;
  // Only joint branches count units.
  EXPECT_TRUE(FormationWorkItems({v1::GRID_BRANCH, 4, 0, 9}, {}).empty());
}

TEST(RegionThresholdsTest, TheNearestRegionSettingEachFieldWins) {
  FormationThresholds defaults;
  FormationThresholds district = NothingSet();
  district.max_branch_members = 40;
  district.compound_min_residents = 800;
  FormationThresholds street = NothingSet();
  street.max_branch_members = 30;
  const std::vector<RegionSetting> settings = {{"d1/s1", street}, {"d1", district}, {"d2", street}};
  auto at_community = ResolveThresholds(defaults, settings, "d1/s1/c1");
  EXPECT_EQ(at_community.thresholds.max_branch_members, 30);          // the street's
  EXPECT_EQ(at_community.thresholds.compound_min_residents, 800);     // the district's
  EXPECT_EQ(at_community.thresholds.min_full_members_for_branch, 3);  // the default
  EXPECT_EQ(at_community.source_area_path, "d1/s1");
  auto other_street = ResolveThresholds(defaults, settings, "d1/s2");
  EXPECT_EQ(other_street.thresholds.max_branch_members, 40);
  EXPECT_EQ(other_street.source_area_path, "d1");
  // A sibling with a common prefix is not below d1/s1.
  auto lookalike = ResolveThresholds(defaults, settings, "d1/s10");
  EXPECT_EQ(lookalike.thresholds.max_branch_members, 40);
  auto elsewhere = ResolveThresholds(defaults, settings, "d3/s1");
  EXPECT_EQ(elsewhere.thresholds.max_branch_members, 50);
  EXPECT_EQ(elsewhere.source_area_path, "");
}

TEST(RegionThresholdsTest, SettingsThatContradictThemselvesAreRefused) {
  FormationThresholds setting = NothingSet();
  EXPECT_TRUE(ValidateRegionSetting(setting, FormationThresholds{}).ok());
  setting.joint_branch_max_units = -1;
  EXPECT_EQ(ValidateRegionSetting(setting, FormationThresholds{}).code(),
            absl::StatusCode::kInvalidArgument);
  FormationThresholds in_force;
  in_force.max_branch_members = 120;
  auto refused = ValidateRegionSetting(FormationThresholds{}, in_force);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("120"), std::string::npos) << refused.message();
  in_force = {};
  in_force.min_full_members_for_branch = 60;
  EXPECT_FALSE(ValidateRegionSetting(FormationThresholds{}, in_force).ok());
}

}  // namespace
}  // namespace grassroots::orgs
