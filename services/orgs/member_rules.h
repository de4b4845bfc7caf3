#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "grassroots/orgs/v1/member.pb.h"

namespace grassroots::orgs {

// What a member record must look like. Pure rules, no I/O.

// Digits with an optional leading '+' (spaces and '-' are dropped), 5 to 20
// digits: the form a keyed hash is taken of, so "138 1234 5678" and
// "138-1234-5678" find the same member.
absl::StatusOr<std::string> NormalisePhone(absl::string_view field, absl::string_view phone);

// An 18-character resident ID number (GB 11643): 17 digits and a check
// character (a digit or X, case-insensitive) that must match the weighted
// sum of the others. Returned upper-case.
absl::StatusOr<std::string> NormaliseIdNumber(absl::string_view field, absl::string_view id_number);

// "YYYY-MM-DD".
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view date);

// A full member has no probation end; a probationary one has it after the
// joining date; nobody joins in the future.
absl::Status ValidateMembership(v1::MemberStatus status, absl::CivilDay join_date,
                                const absl::CivilDay* probation_end, absl::CivilDay today);

// A probationary member converts on or after the end of probation, and not
// on a day still to come.
absl::Status ValidateConversion(v1::MemberStatus status, absl::CivilDay probation_end,
                                absl::CivilDay conversion, absl::CivilDay today);

}  // namespace grassroots::orgs
