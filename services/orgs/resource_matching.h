#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/paths/street_of.h"
#include "grassroots/orgs/v1/area.pb.h"
#include "grassroots/orgs/v1/co_building.pb.h"

namespace grassroots::orgs {

// Matching resident units' resources to communities' needs. Pure rules, no I/O.
//
// A need is met from its own street (大事不出街道): only open resources of the
// same category whose unit is registered in the need's street, and of those
// the nearest first: units of the need's own community before the rest of
// the street. Among equals, a resource that covers everything the need
// still lacks comes first (one match instead of several), then the one
// published first (ids sort by creation).

struct NeedFacts {
  std::string area_path;  // a community
  v1::ResourceCategory category = v1::RESOURCE_CATEGORY_UNSPECIFIED;
  int quantity = 0;
  int fulfilled = 0;
};

struct ResourceFacts {
  std::string id;
  std::string area_path;  // the unit's place
  v1::ResourceCategory category = v1::RESOURCE_CATEGORY_UNSPECIFIED;
  int remaining = 0;
  bool unit_active = true;
};

struct RankedResource {
  size_t index;  // into the candidates given
  v1::MatchCandidate::Proximity proximity;
};

// The candidates that may meet the need, best first, at most `limit`.
std::vector<RankedResource> RankResources(const NeedFacts& need,
                                          const std::vector<ResourceFacts>& candidates,
                                          size_t limit);

// Whether `quantity` of the resource may go to the need: same category,
// same street, a unit still registered, at least 1, no more than the need
// lacks or the resource has left. The refusal names the numbers.
absl::Status CheckAcceptance(const NeedFacts& need, const ResourceFacts& resource, int quantity);

v1::CommunityNeed::State NeedStateFor(int quantity, int fulfilled);
v1::UnitResource::State ResourceStateFor(int remaining, bool unit_active);

// Communities publish needs.
absl::Status ValidateNeedPlaceKind(absl::string_view field, v1::AreaKind kind);

absl::Status ValidateCategory(absl::string_view field, v1::ResourceCategory category);
// 1 to 1,000,000.
absl::Status ValidateAmount(absl::string_view field, int64_t amount);

}  // namespace grassroots::orgs
