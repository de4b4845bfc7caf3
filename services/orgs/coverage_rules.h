#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grassroots/orgs/v1/organisation.pb.h"
#include "grassroots/orgs/v1/place.pb.h"
#include "services/orgs/formation_rules.h"

namespace grassroots::orgs {

// The coverage rule (PRODUCT.md, section 1): which places must have a party
// organisation, and which organisations may take which places into their
// care. Pure; the place store feeds it figures.

// A unit is a single employer (an enterprise, a social organisation): what
// the branch regulations count when they say "a unit with 3 full members
// forms a branch" and "a joint branch covers at most 5 units".
bool IsUnit(v1::PlaceKind kind);
// Everything but a residential compound counts its employees.
bool IsWorkplace(v1::PlaceKind kind);

struct PlaceFigures {
  v1::PlaceKind kind = v1::PLACE_KIND_UNSPECIFIED;
  int residents = 0;
  int employees = 0;
  int full_members = 0;
  // Active organisations covering the place, joint branches apart.
  int own_organisations = 0;
  int joint_branches = 0;
};

struct CoverageFinding {
  v1::UncoveredPlace::Action action = v1::UncoveredPlace::ACTION_UNSPECIFIED;
  std::string rule;
  std::string message;
};

// What the rule asks of a place, if anything: a compound with enough full
// members and residents, or a workplace with enough employees, must be
// covered; a unit with enough full members must have its own organisation
// (a joint branch is for units too small to stand alone); a smaller unit
// with party members and no organisation must join a joint branch.
std::optional<CoverageFinding> CoverageFindingFor(const PlaceFigures& place,
                                                  const FormationThresholds& thresholds);

// Whether an organisation of `kind` may take the place into its care, with
// the joint branch limits: FAILED_PRECONDITION naming the rule and numbers.
// `units_covered` is how many places the organisation covers already.
absl::Status CheckCover(v1::OrganisationKind kind, const PlaceFigures& place, int units_covered,
                        const FormationThresholds& thresholds);

absl::Status ValidatePlaceKind(absl::string_view field, v1::PlaceKind kind);
// Residents for compounds, employees for workplaces; the other stays 0.
absl::Status ValidatePlaceCounts(v1::PlaceKind kind, int residents, int employees);

}  // namespace grassroots::orgs
