#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "grassroots/orgs/v1/linkage.pb.h"

namespace grassroots::orgs {

// Linkage (包联) as rules: who may be linked, when a link is active, and the
// life of a problem raised under a link (OPEN -> SOLVED or CLOSED_UNSOLVED,
// nothing after). Pure rules, no I/O.

// A member official names a member id; an external official or a unit an
// opaque reference; a unit also its kind. The display title is a position
// or a unit's name, never personal data: runs of 7 or more digits (a phone
// or ID number) are refused.
absl::Status ValidateLinkedParty(absl::string_view field, const v1::LinkedParty& party);

// Problem categories: 1-32 of a-z, 0-9, '-' and '_'.
absl::Status ValidateProblemCategory(absl::string_view field, absl::string_view category);

// Free text of 1 to `max_bytes` bytes without control characters.
absl::Status ValidateText(absl::string_view field, absl::string_view text, size_t max_bytes);

// A link runs from `start` to `planned_end` (both included) when one is set.
absl::Status ValidateLinkPeriod(absl::CivilDay start, const std::optional<absl::CivilDay>& end);

// Whether the link covers `day`.
bool LinkActiveOn(absl::CivilDay start, const std::optional<absl::CivilDay>& end,
                  absl::CivilDay day);

// Ending an active link: on or after its start, not after today, not after
// a planned end. FAILED_PRECONDITION (LINK_ENDED) when it is ended already.
absl::Status ValidateEndLink(v1::Link::State state, absl::CivilDay start,
                             const std::optional<absl::CivilDay>& planned_end,
                             absl::CivilDay end_date, absl::CivilDay today);

// A problem is raised on a day the link covers, and not in the future.
absl::Status ValidateRaise(absl::CivilDay link_start, const std::optional<absl::CivilDay>& link_end,
                           absl::CivilDay raised_date, absl::CivilDay today);

// OPEN -> SOLVED / CLOSED_UNSOLVED, on or after the day it was raised and
// not in the future. FAILED_PRECONDITION (PROBLEM_RESOLVED) once solved or
// closed: a problem is resolved once.
absl::Status ValidateResolve(v1::LinkageProblem::State state, v1::LinkageProblem::State to,
                             absl::CivilDay raised_date, absl::CivilDay resolved_date,
                             absl::CivilDay today);

// A summary's period: from <= to, at most 3,660 days apart (about ten years).
absl::Status ValidateSummaryPeriod(absl::CivilDay from, absl::CivilDay to);

// solved / raised in basis points, rounded half up; 0 when nothing was raised.
int32_t SolvedRateBasisPoints(int64_t solved, int64_t raised);

}  // namespace grassroots::orgs
