#pragma once

#include "absl/status/status.h"
#include "grassroots/careers/v1/staffing.pb.h"

namespace grassroots::careers {

// Staffing quotas from households. Pure, no I/O.

// The rule when no region has one: 3,000 households, 10 workers, one more
// per 300 households above the base.
v1::StaffingRule DefaultStaffingRule();
absl::Status ValidateStaffingRule(const v1::StaffingRule& rule);
absl::Status ValidateHouseholds(const v1::CommunityHouseholds& households);

// minimum_workers up to base_households, plus one for every started
// households_per_extra_worker above it.
int StaffingQuota(const v1::StaffingRule& rule, int households);
v1::Staffing ClassifyStaffing(int quota, int workers);

}  // namespace grassroots::careers
