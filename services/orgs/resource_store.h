#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/co_building.pb.h"

namespace grassroots::orgs {

struct ResourceFilter {
  std::string area_id;  // empty: the caller's whole scope
  v1::ResourceCategory category = v1::RESOURCE_CATEGORY_UNSPECIFIED;
  bool include_closed = false;
};

struct NeedFilter {
  std::string area_id;
  v1::ResourceCategory category = v1::RESOURCE_CATEGORY_UNSPECIFIED;
  bool include_fulfilled = false;
};

template <typename T>
struct IdPage {
  std::vector<T> items;
  std::string last_id;  // empty when this was the last page
};

// What AcceptMatch asks for.
struct MatchRequest {
  std::string need_id;
  std::string resource_id;
  int quantity = 0;
  std::string project_title;
  absl::CivilDay project_due_date;
};

// The only code that speaks SQL about resources, needs and matches. Scope
// is the resource's unit's place and the need's community. A resource's
// remaining capacity only goes down through a conditional UPDATE, so
// concurrent matches can never take more than there is.
class ResourceStore {
 public:
  // Matching reads at most this many open resources of one category in one
  // street for a page of needs (a street has a few hundred units at most).
  static constexpr int kMaxResourcesPerStreet = 1000;

  ResourceStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::UnitResource> PublishResource(const std::string& scope,
                                                   const WriteContext& write,
                                                   const v1::UnitResource& resource);
  absl::StatusOr<IdPage<v1::UnitResource>> ListResources(const std::string& scope,
                                                         const ResourceFilter& filter,
                                                         int page_size,
                                                         const std::string& after_id);
  absl::StatusOr<v1::CommunityNeed> PublishNeed(const std::string& scope, const WriteContext& write,
                                                const v1::CommunityNeed& need);
  absl::StatusOr<IdPage<v1::CommunityNeed>> ListNeeds(const std::string& scope,
                                                      const NeedFilter& filter, int page_size,
                                                      const std::string& after_id);
  // Open needs of the subtree by id, each with its best candidates
  // (resource_matching.h) among the resources the caller can see.
  absl::StatusOr<IdPage<v1::NeedMatches>> MatchNeeds(const std::string& scope,
                                                     const NeedFilter& filter,
                                                     int candidates_per_need, int page_size,
                                                     const std::string& after_id);
  // The need, the resource, the match and its project change together or
  // not at all. Idempotent when write.request_id is set.
  absl::StatusOr<v1::ResourceMatch> Accept(const std::string& scope, const WriteContext& write,
                                           const MatchRequest& request);

  static bool AnyNeedAt(db::Connection& c, const std::string& area_id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
