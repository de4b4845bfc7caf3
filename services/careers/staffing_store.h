#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/careers/v1/staffing.pb.h"

namespace grassroots::careers {

// The only code that speaks SQL about staffing rules, households and the
// staffing report.
class StaffingStore {
 public:
  StaffingStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::StaffingRule> SetRule(const std::string& scope, const WriteContext& write,
                                           const v1::StaffingRule& rule);
  absl::StatusOr<v1::CommunityHouseholds> SetHouseholds(const std::string& scope,
                                                        const WriteContext& write,
                                                        const v1::CommunityHouseholds& households);
  // Communities under `path` (inside the scope) with households or workers, by street.
  absl::StatusOr<v1::StaffingReport> Report(const std::string& scope, const std::string& path);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::careers
