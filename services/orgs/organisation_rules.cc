#include "services/orgs/organisation_rules.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/orgs/area_rules.h"

namespace grassroots::orgs {
namespace {

using v1::AreaKind;
using v1::OrganisationKind;

struct Placement {
  std::vector<OrganisationKind> parents;  // empty: a root
  std::vector<AreaKind> places;
};

Placement PlacementOf(OrganisationKind kind) {
  switch (kind) {
    case v1::DISTRICT_COMMITTEE:
      return {{}, {v1::DISTRICT}};
    case v1::STREET_WORKING_COMMITTEE:
      return {{v1::DISTRICT_COMMITTEE}, {v1::STREET, v1::TOWN}};
    case v1::COMMUNITY_COMMITTEE:
    case v1::COMMUNITY_GENERAL_BRANCH:
      return {{v1::STREET_WORKING_COMMITTEE}, {v1::COMMUNITY}};
    case v1::GRID_BRANCH:
    case v1::COMPOUND_BRANCH:
      return {{v1::COMMUNITY_COMMITTEE, v1::COMMUNITY_GENERAL_BRANCH}, {v1::COMMUNITY}};
    case v1::BUILDING_GROUP:
      return {{v1::GRID_BRANCH}, {v1::COMMUNITY}};
    case v1::JOINT_BRANCH:
    case v1::FLOATING_MEMBER_BRANCH:
    case v1::TEMPORARY_BRANCH:
    case v1::TWO_NEW_ORGANISATION:
      return {{v1::STREET_WORKING_COMMITTEE, v1::COMMUNITY_COMMITTEE, v1::COMMUNITY_GENERAL_BRANCH},
              {v1::STREET, v1::TOWN, v1::COMMUNITY}};
    default:
      return {};
  }
}

template <typename T>
bool Contains(const std::vector<T>& values, T value) {
  for (T v : values) {
    if (v == value) return true;
  }
  return false;
}

}  // namespace

absl::Status ValidateOrganisationKind(absl::string_view field, v1::OrganisationKind kind) {
  if (kind == v1::ORGANISATION_KIND_UNSPECIFIED || !v1::OrganisationKind_IsValid(kind)) {
    return InvalidField(field, "KIND_INVALID", "must name a kind of organisation");
  }
  return absl::OkStatus();
}

absl::Status ValidateOrganisationPlacement(v1::OrganisationKind kind,
                                           v1::OrganisationKind parent_kind,
                                           v1::AreaKind area_kind) {
  const Placement placement = PlacementOf(kind);
  const std::string name = v1::OrganisationKind_Name(kind);
  if (placement.parents.empty() && parent_kind != v1::ORGANISATION_KIND_UNSPECIFIED) {
    return InvalidField("organisation.parent_id", "PLACEMENT_INVALID",
                        absl::StrCat("a ", name, " is a root and has no parent"));
  }
  if (!placement.parents.empty() && !Contains(placement.parents, parent_kind)) {
    std::string allowed;
    for (auto p : placement.parents) {
      absl::StrAppend(&allowed, allowed.empty() ? "" : " or ", v1::OrganisationKind_Name(p));
    }
    return InvalidField(
        "organisation.parent_id", "PLACEMENT_INVALID",
        absl::StrCat("a ", name, " stands under a ", allowed,
                     parent_kind == v1::ORGANISATION_KIND_UNSPECIFIED
                         ? ", and none was given"
                         : absl::StrCat(", not under a ", v1::OrganisationKind_Name(parent_kind))));
  }
  if (!Contains(placement.places, area_kind)) {
    std::string allowed;
    for (auto a : placement.places) {
      absl::StrAppend(&allowed, allowed.empty() ? "" : " or ", v1::AreaKind_Name(a));
    }
    return InvalidField("organisation.area_id", "PLACE_INVALID",
                        absl::StrCat("a ", name, " belongs to a ", allowed, ", not to a ",
                                     v1::AreaKind_Name(area_kind)));
  }
  return absl::OkStatus();
}

absl::Status ValidateUnitName(absl::string_view field, v1::OrganisationKind kind,
                              absl::string_view unit_name) {
  if (unit_name.empty()) {
    if (kind == v1::TWO_NEW_ORGANISATION) {
      return InvalidField(field, "UNIT_NAME_REQUIRED",
                          "a \"two new\" organisation names the unit it is formed in");
    }
    return absl::OkStatus();
  }
  return ValidateDisplayName(field, unit_name);
}

}  // namespace grassroots::orgs
