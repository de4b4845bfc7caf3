#include "services/careers/quota_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::careers {
namespace {

TEST(StaffingQuota, MinimumUpToTheBaseThenOnePerStartedBlock) {
  const v1::StaffingRule rule = DefaultStaffingRule();
  EXPECT_EQ(StaffingQuota(rule, 0), 10);
  EXPECT_EQ(StaffingQuota(rule, 3000), 10);
  EXPECT_EQ(StaffingQuota(rule, 3001), 11);
  EXPECT_EQ(StaffingQuota(rule, 3300), 11);
  EXPECT_EQ(StaffingQuota(rule, 3301), 12);
  EXPECT_EQ(StaffingQuota(rule, 6000), 20);
}

TEST(StaffingQuota, ARegionsOwnRule) {
  v1::StaffingRule rule;
  rule.set_base_households(2000);
  rule.set_minimum_workers(8);
  rule.set_households_per_extra_worker(500);
  EXPECT_EQ(StaffingQuota(rule, 1999), 8);
  EXPECT_EQ(StaffingQuota(rule, 2600), 10);
}

TEST(StaffingQuota, Classification) {
  EXPECT_EQ(ClassifyStaffing(10, 9), v1::STAFFING_UNDER);
  EXPECT_EQ(ClassifyStaffing(10, 10), v1::STAFFING_MATCHED);
  EXPECT_EQ(ClassifyStaffing(10, 11), v1::STAFFING_OVER);
}

TEST(StaffingQuota, RuleValidationNamesTheField) {
  v1::StaffingRule rule = DefaultStaffingRule();
  EXPECT_TRUE(ValidateStaffingRule(rule).ok());
  rule.set_minimum_workers(0);
  EXPECT_EQ(ErrorField(ValidateStaffingRule(rule)), "rule.minimum_workers");
  rule = DefaultStaffingRule();
  rule.set_region_path("D01/");
  EXPECT_EQ(ErrorReason(ValidateStaffingRule(rule)), "PATH_INVALID");
  v1::CommunityHouseholds households;
  households.set_community_path("d01/s01/c01");
  households.set_households(-1);
  EXPECT_EQ(ErrorReason(ValidateHouseholds(households)), "HOUSEHOLDS_INVALID");
}

}  // namespace
}  // namespace grassroots::careers
