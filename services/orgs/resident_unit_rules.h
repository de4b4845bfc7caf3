#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grassroots/orgs/v1/area.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"
#include "grassroots/orgs/v1/resident_unit.pb.h"

namespace grassroots::orgs {

// Resident units (驻区单位) and who leads regional party building with them.
// Pure rules, no I/O.

absl::Status ValidateUnitKind(absl::string_view field, v1::ResidentUnit::Kind kind);
// 0 to 1,000,000 employees.
absl::Status ValidateEmployeeCount(absl::string_view field, int64_t employees);

// A unit registers with a street, a town or a community (the places that
// hold joint meetings), not with a district.
absl::Status ValidateUnitPlaceKind(absl::string_view field, v1::AreaKind kind);

// Regional party building is led by a street working committee or a
// community party committee or general branch: they convene joint meetings
// and their big party committees seat member units.
absl::Status ValidateRegionalLead(absl::string_view field, v1::OrganisationKind kind);

// A unit takes part in a place's regional party building (invitations,
// seats, decisions) only when it is registered in the place's subtree and
// has not withdrawn. The refusal names both places.
absl::Status ValidateUnitTakesPart(absl::string_view field, v1::ResidentUnit::State state,
                                   absl::string_view unit_path, absl::string_view place_path);

// Free text: valid UTF-8 without control characters, at most `max_bytes`;
// `required` refuses an empty one. Minutes may hold line breaks
// (`allow_newlines`).
absl::Status ValidateFreeText(absl::string_view field, absl::string_view text, size_t max_bytes,
                              bool required, bool allow_newlines = false);

}  // namespace grassroots::orgs
