#include "services/orgs/coverage_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::orgs {

bool IsUnit(v1::PlaceKind kind) {
  return kind == v1::ENTERPRISE || kind == v1::SOCIAL_ORGANISATION;
}

bool IsWorkplace(v1::PlaceKind kind) {
  return kind != v1::RESIDENTIAL_COMPOUND && kind != v1::PLACE_KIND_UNSPECIFIED;
}

std::optional<CoverageFinding> CoverageFindingFor(const PlaceFigures& p,
                                                  const FormationThresholds& t) {
  const bool covered = p.own_organisations + p.joint_branches > 0;
  if (p.kind == v1::RESIDENTIAL_COMPOUND) {
    if (covered || p.full_members < t.compound_min_full_members ||
        p.residents < t.compound_min_residents) {
      return std::nullopt;
    }
    return CoverageFinding{
        v1::UncoveredPlace::FORM, "COMPOUND_COVERAGE",
        absl::StrCat("a compound with at least ", t.compound_min_full_members, " full members and ",
                     t.compound_min_residents,
                     " residents must have a party organisation; this one"
                     " has ",
                     p.full_members, " full members and ", p.residents, " residents and none")};
  }
  if (!IsWorkplace(p.kind)) return std::nullopt;
  if (IsUnit(p.kind) && p.own_organisations == 0 &&
      p.full_members >= t.min_full_members_for_branch) {
    return CoverageFinding{
        v1::UncoveredPlace::FORM, "UNIT_MUST_FORM_BRANCH",
        absl::StrCat("a unit with at least ", t.min_full_members_for_branch,
                     " full members forms its own branch; this one has ", p.full_members,
                     p.joint_branches > 0 ? " and only a joint branch" : " and no organisation")};
  }
  if (covered) return std::nullopt;
  if (p.employees >= t.workplace_min_employees) {
    return CoverageFinding{v1::UncoveredPlace::FORM, "WORKPLACE_COVERAGE",
                           absl::StrCat("a workplace with at least ", t.workplace_min_employees,
                                        " employees must have a party organisation; this one has ",
                                        p.employees, " employees and none")};
  }
  if (IsUnit(p.kind) && p.full_members > 0) {
    return CoverageFinding{v1::UncoveredPlace::JOIN_JOINT_BRANCH, "UNIT_MUST_JOIN_JOINT_BRANCH",
                           absl::StrCat("a unit with fewer than ", t.min_full_members_for_branch,
                                        " full members joins a joint branch; this one has ",
                                        p.full_members, " and no organisation")};
  }
  return std::nullopt;
}

absl::Status CheckCover(v1::OrganisationKind kind, const PlaceFigures& p, int units_covered,
                        const FormationThresholds& t) {
  bool allowed = false;
  switch (kind) {
    case v1::COMMUNITY_COMMITTEE:
    case v1::COMMUNITY_GENERAL_BRANCH:
    case v1::GRID_BRANCH:
      allowed = true;
      break;
    case v1::COMPOUND_BRANCH:
      allowed = p.kind == v1::RESIDENTIAL_COMPOUND;
      break;
    case v1::JOINT_BRANCH:
    case v1::TWO_NEW_ORGANISATION:
      allowed = IsWorkplace(p.kind);
      break;
    default:
      break;
  }
  if (!allowed) {
    return FailedPrecondition("PLACE_KIND_NOT_COVERABLE",
                              absl::StrCat("a ", v1::OrganisationKind_Name(kind), " cannot take a ",
                                           v1::PlaceKind_Name(p.kind), " into its care"));
  }
  if (kind != v1::JOINT_BRANCH) return absl::OkStatus();
  if (IsUnit(p.kind) && p.full_members >= t.min_full_members_for_branch) {
    return FailedPrecondition(
        "UNIT_MUST_FORM_BRANCH",
        absl::StrCat("a unit with at least ", t.min_full_members_for_branch,
                     " full members forms its own branch instead of joining a joint branch; this "
                     "one has ",
                     p.full_members));
  }
  if (units_covered + 1 > t.joint_branch_max_units) {
    return FailedPrecondition(
        "JOINT_BRANCH_MAX_UNITS",
        absl::StrCat("a joint branch covers at most ", t.joint_branch_max_units,
                     " units and this one covers ", units_covered, " already"));
  }
  return absl::OkStatus();
}

absl::Status ValidatePlaceKind(absl::string_view field, v1::PlaceKind kind) {
  if (kind == v1::PLACE_KIND_UNSPECIFIED || !v1::PlaceKind_IsValid(kind)) {
    return InvalidField(field, "PLACE_KIND_INVALID",
                        "choose RESIDENTIAL_COMPOUND, COMMERCIAL_BUILDING, COMPLEX, MARKET, "
                        "ENTERPRISE or SOCIAL_ORGANISATION");
  }
  return absl::OkStatus();
}

absl::Status ValidatePlaceCounts(v1::PlaceKind kind, int residents, int employees) {
  constexpr int kMax = 10000000;
  if (residents < 0 || residents > kMax) {
    return InvalidField("place.resident_count", "COUNT_INVALID", "must be between 0 and 10000000");
  }
  if (employees < 0 || employees > kMax) {
    return InvalidField("place.employee_count", "COUNT_INVALID", "must be between 0 and 10000000");
  }
  if (kind == v1::RESIDENTIAL_COMPOUND && employees != 0) {
    return InvalidField("place.employee_count", "COUNT_NOT_APPLICABLE",
                        "a residential compound counts residents, not employees");
  }
  if (IsWorkplace(kind) && residents != 0) {
    return InvalidField("place.resident_count", "COUNT_NOT_APPLICABLE",
                        "a workplace counts employees, not residents");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::orgs
