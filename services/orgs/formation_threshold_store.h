#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/place.pb.h"
#include "services/orgs/formation_rules.h"

namespace grassroots::orgs {

// The only code that speaks SQL about regions' own formation thresholds.
// The service's defaults (its options) hold wherever no region set a value.
class FormationThresholdStore {
 public:
  FormationThresholdStore(db::ConnectionPool& pool, const ChangeLog& changes,
                          FormationThresholds defaults)
      : pool_(pool), changes_(changes), defaults_(defaults) {}

  const FormationThresholds& defaults() const { return defaults_; }

  absl::StatusOr<v1::RegionThresholds> Get(const std::string& scope, const std::string& area_id);
  // The region's own values (0 inherits), checked against what would then
  // be in force there.
  absl::StatusOr<v1::RegionThresholds> Set(const std::string& scope, const WriteContext& write,
                                           const std::string& area_id,
                                           const v1::FormationThresholds& setting,
                                           const std::string& etag);

  // Every region setting that can apply at or below `path` (its ancestors
  // and its descendants), to resolve many records with one query.
  static std::vector<RegionSetting> SettingsAround(db::Connection& c, const std::string& path);
  absl::StatusOr<std::vector<RegionSetting>> SettingsAround(const std::string& path) const;

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const FormationThresholds defaults_;
};

v1::FormationThresholds ToProto(const FormationThresholds& t);
FormationThresholds FromProto(const v1::FormationThresholds& t);

}  // namespace grassroots::orgs
