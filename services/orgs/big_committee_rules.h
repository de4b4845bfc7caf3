#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "grassroots/orgs/v1/resident_unit.pb.h"

namespace grassroots::orgs {

// Part-time seats (兼职委员) on a big party committee (大党委). Pure rules.

absl::Status ValidateSeatRole(absl::string_view field, v1::BigCommitteeSeat::Role role);

// A seat's term ends after it starts and lasts at most five years, the
// term of a community party committee; a seat never outlasts the committee
// it sits on.
inline constexpr int kMaxSeatTermYears = 5;
absl::Status ValidateSeatTerm(absl::CivilDay start, absl::CivilDay end);

}  // namespace grassroots::orgs
