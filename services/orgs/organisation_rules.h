#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grassroots/orgs/v1/area.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"

namespace grassroots::orgs {

// Where each kind of party organisation may stand: under which kind of
// organisation and at which kind of place. Pure rules, no I/O.
//
//   district committee        root                       at a district
//   street working committee  under a district committee at a street or town
//   community committee,
//   community general branch  under a street committee   at a community
//   grid branch,
//   compound branch           under a community organisation
//   building group            under a grid branch
//   joint, floating-member,
//   temporary, "two new"      under a street committee or a community organisation
//
// Grid branches and building groups are bound to their community until the
// grid service owns grids and buildings.

absl::Status ValidateOrganisationKind(absl::string_view field, v1::OrganisationKind kind);

// `parent_kind` is UNSPECIFIED for a root. The refusal names both kinds.
absl::Status ValidateOrganisationPlacement(v1::OrganisationKind kind,
                                           v1::OrganisationKind parent_kind,
                                           v1::AreaKind area_kind);

// A "two new" organisation names the enterprise or social organisation it
// is formed in; any other kind may name a resident unit. At most 200 bytes.
absl::Status ValidateUnitName(absl::string_view field, v1::OrganisationKind kind,
                              absl::string_view unit_name);

}  // namespace grassroots::orgs
