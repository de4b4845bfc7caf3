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

TEST(FormationRulesTest, ThresholdsAreTheRegions) {
  FormationThresholds strict;
  strict.min_full_members_for_branch = 5;
  strict.max_branch_members = 30;
  EXPECT_EQ(Rules(v1::GRID_BRANCH, 4, 0, strict), Strings{"MIN_FULL_MEMBERS"});
  EXPECT_EQ(Rules(v1::GRID_BRANCH, 31, 0, strict), Strings{"MAX_BRANCH_MEMBERS"});
}

}  // namespace
}  // namespace grassroots::orgs
