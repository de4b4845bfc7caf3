#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/admission.pb.h"

namespace grassroots::orgs {

struct AdmissionListPage {
  std::vector<v1::AdmissionList> lists;
  int32_t last_version = 0;  // 0 when this was the last page
};

// The only code that speaks SQL about admission lists. A version, once
// published, never changes (only its region path follows area moves); the
// change row of a publication carries the whole list, which is how the
// in-memory cache of every replica learns of it.
class AdmissionStore {
 public:
  AdmissionStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // A new version of the region's list (the region in the scope; a district,
  // street or town), effective on `effective` (see admission_rules.h for
  // which dates are accepted). Idempotent by request_id.
  absl::StatusOr<v1::AdmissionList> Publish(const std::string& scope, const WriteContext& write,
                                            const std::string& region_area_id,
                                            absl::CivilDay effective,
                                            const v1::PublishAdmissionListRequest& contents,
                                            absl::CivilDay today);
  // The region's versions, newest first, below `before_version` (0: from
  // the newest). The region must lie in the scope or above it (its list may
  // apply there).
  absl::StatusOr<AdmissionListPage> ListVersions(const std::string& scope,
                                                 const std::string& region_area_id, int page_size,
                                                 int32_t before_version);
  // The jurisdiction path of an area in the scope (nullopt: none there).
  absl::StatusOr<std::optional<std::string>> AreaPath(const std::string& scope,
                                                      const std::string& area_id);

  // For the area store: whether the area is a region with a list (its history stays).
  static bool AnyFor(db::Connection& c, const std::string& region_area_id);
  // Every version of every list, for the cache.
  static std::vector<v1::AdmissionList> LoadAll(db::Connection& c);
  // For the area store, inside its move transaction.
  static void FollowAreaMove(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                             const std::string& old_path, const std::string& new_path);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
