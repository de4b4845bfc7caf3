#include "services/orgs/resource_matching.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

bool Eligible(const NeedFacts& need, const ResourceFacts& resource, const std::string& street) {
  return resource.category == need.category && resource.remaining > 0 && resource.unit_active &&
         PathWithin(resource.area_path, street);
}

v1::MatchCandidate::Proximity ProximityOf(const NeedFacts& need, const ResourceFacts& resource) {
  return PathWithin(resource.area_path, need.area_path) ? v1::MatchCandidate::SAME_COMMUNITY
                                                        : v1::MatchCandidate::SAME_STREET;
}

}  // namespace

std::vector<RankedResource> RankResources(const NeedFacts& need,
                                          const std::vector<ResourceFacts>& candidates,
                                          size_t limit) {
  const std::string street = StreetOf(need.area_path);
  const int lacking = need.quantity - need.fulfilled;
  std::vector<RankedResource> ranked;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (Eligible(need, candidates[i], street)) {
      ranked.push_back({i, ProximityOf(need, candidates[i])});
    }
  }
  std::sort(ranked.begin(), ranked.end(), [&](const RankedResource& a, const RankedResource& b) {
    const ResourceFacts& x = candidates[a.index];
    const ResourceFacts& y = candidates[b.index];
    const bool x_covers = x.remaining >= lacking, y_covers = y.remaining >= lacking;
    return std::tie(a.proximity, y_covers, x.id) < std::tie(b.proximity, x_covers, y.id);
  });
  if (ranked.size() > limit) ranked.resize(limit);
  return ranked;
}

absl::Status CheckAcceptance(const NeedFacts& need, const ResourceFacts& resource, int quantity) {
  if (resource.category != need.category) {
    return FailedPrecondition(
        "CATEGORY_MISMATCH",
        absl::StrCat("the resource offers ", v1::ResourceCategory_Name(resource.category),
                     " and the need asks for ", v1::ResourceCategory_Name(need.category)));
  }
  const std::string street = StreetOf(need.area_path);
  if (!PathWithin(resource.area_path, street)) {
    return FailedPrecondition("NOT_IN_NEED_STREET",
                              absl::StrCat("a need is met from its own street ", street,
                                           "; the resource's unit is at ", resource.area_path));
  }
  if (!resource.unit_active) {
    return FailedPrecondition("UNIT_WITHDRAWN", "the resource's unit has withdrawn");
  }
  if (quantity < 1) {
    return InvalidField("quantity", "QUANTITY_INVALID", "must be at least 1");
  }
  const int lacking = need.quantity - need.fulfilled;
  if (quantity > lacking) {
    return FailedPrecondition("NEED_EXCEEDED",
                              absl::StrCat("the need lacks ", lacking, " of ", need.quantity,
                                           "; a match of ", quantity, " would exceed it"));
  }
  if (quantity > resource.remaining) {
    return FailedPrecondition("RESOURCE_INSUFFICIENT",
                              absl::StrCat("the resource has ", resource.remaining,
                                           " left; a match of ", quantity, " was asked"));
  }
  return absl::OkStatus();
}

v1::CommunityNeed::State NeedStateFor(int quantity, int fulfilled) {
  if (fulfilled <= 0) return v1::CommunityNeed::OPEN;
  if (fulfilled < quantity) return v1::CommunityNeed::PARTLY_FULFILLED;
  return v1::CommunityNeed::FULFILLED;
}

v1::UnitResource::State ResourceStateFor(int remaining, bool unit_active) {
  if (!unit_active) return v1::UnitResource::UNIT_WITHDRAWN;
  return remaining > 0 ? v1::UnitResource::OPEN : v1::UnitResource::EXHAUSTED;
}

absl::Status ValidateNeedPlaceKind(absl::string_view field, v1::AreaKind kind) {
  if (kind == v1::COMMUNITY) return absl::OkStatus();
  return InvalidField(
      field, "NEED_PLACE_INVALID",
      absl::StrCat("communities publish needs; this place is a ", v1::AreaKind_Name(kind)));
}

absl::Status ValidateCategory(absl::string_view field, v1::ResourceCategory category) {
  if (category == v1::RESOURCE_CATEGORY_UNSPECIFIED || !v1::ResourceCategory_IsValid(category)) {
    return InvalidField(field, "CATEGORY_INVALID",
                        "must be a category such as RESOURCE_CATEGORY_VENUE");
  }
  return absl::OkStatus();
}

absl::Status ValidateAmount(absl::string_view field, int64_t amount) {
  if (amount < 1 || amount > 1'000'000) {
    return InvalidField(field, "AMOUNT_INVALID", "must be between 1 and 1,000,000");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::orgs
