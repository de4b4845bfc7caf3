#include "services/careers/quota_rules.h"

#include "common/status/errors.h"
#include "services/careers/worker_rules.h"

namespace grassroots::careers {

v1::StaffingRule DefaultStaffingRule() {
  v1::StaffingRule rule;
  rule.set_base_households(3000);
  rule.set_minimum_workers(10);
  rule.set_households_per_extra_worker(300);
  return rule;
}

absl::Status ValidateStaffingRule(const v1::StaffingRule& rule) {
  if (auto s = ValidatePath("rule.region_path", rule.region_path(), true); !s.ok()) return s;
  if (rule.base_households() < 1 || rule.base_households() > 1000000) {
    return InvalidField("rule.base_households", "BASE_HOUSEHOLDS_INVALID",
                        "must be 1 to 1,000,000");
  }
  if (rule.minimum_workers() < 1 || rule.minimum_workers() > 1000) {
    return InvalidField("rule.minimum_workers", "MINIMUM_WORKERS_INVALID", "must be 1 to 1,000");
  }
  if (rule.households_per_extra_worker() < 1 || rule.households_per_extra_worker() > 1000000) {
    return InvalidField("rule.households_per_extra_worker", "HOUSEHOLDS_PER_WORKER_INVALID",
                        "must be 1 to 1,000,000");
  }
  return absl::OkStatus();
}

absl::Status ValidateHouseholds(const v1::CommunityHouseholds& h) {
  if (auto s = ValidatePath("households.community_path", h.community_path(), false); !s.ok()) {
    return s;
  }
  if (h.households() < 0 || h.households() > 10000000) {
    return InvalidField("households.households", "HOUSEHOLDS_INVALID", "must be 0 to 10,000,000");
  }
  return absl::OkStatus();
}

int StaffingQuota(const v1::StaffingRule& rule, int households) {
  const int above = households - rule.base_households();
  if (above <= 0) return rule.minimum_workers();
  const int per = rule.households_per_extra_worker();
  return rule.minimum_workers() + (above + per - 1) / per;
}

v1::Staffing ClassifyStaffing(int quota, int workers) {
  if (workers < quota) return v1::STAFFING_UNDER;
  if (workers > quota) return v1::STAFFING_OVER;
  return v1::STAFFING_MATCHED;
}

}  // namespace grassroots::careers
