#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "grassroots/orgs/v1/decision.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"

namespace grassroots::orgs {

// Major-matter decisions, "four discussions, one review, two publications"
// (四议一审两公开), as rules: the order of the steps, the vote each meeting
// needs, and the publication clocks. Pure, no I/O.

using MatterState = v1::Matter::State;
using StepKind = v1::MatterStep::Kind;

// Matters and consultations belong to a community committee or general branch.
absl::Status RequireCommunityOrganisation(absl::string_view field, v1::OrganisationKind kind);

// The step a matter in `state` waits for; KIND_UNSPECIFIED once every step
// is recorded, and for a rejected matter.
StepKind ExpectedStep(MatterState state);
// Where a matter stands once `step` is recorded (a vote carried, the street
// approving).
MatterState StateAfter(StepKind step);
// OK when `step` is the one a matter in `state` (as shown, DONE computed)
// waits for. Otherwise FAILED_PRECONDITION: MATTER_REJECTED or MATTER_DONE
// for a finished matter, STEP_REPEATED for a step already recorded,
// STEP_SKIPPED for one that comes later; the message and the error
// metadata "expected_step" name the step expected.
absl::Status CheckNextStep(MatterState state, StepKind step);
// "the two committees' deliberation", for messages.
std::string DescribeStep(StepKind step);

// The street a community lies in: the parent of its place
// ("d01/s03/c12" -> "d01/s03"). The street reviews the community's matters.
std::string StreetPathOf(absl::string_view community_path);

// A meeting's or review's date: not after today, not before the step
// before it.
absl::Status ValidateStepDate(absl::string_view field, absl::CivilDay date,
                              std::optional<absl::CivilDay> previous, absl::CivilDay today);

// Member ids well formed and not repeated (at most kMaxParticipantIds),
// others between 0 and 100,000.
inline constexpr int kMaxParticipantIds = 2000;
absl::Status ValidateParticipants(absl::string_view field,
                                  const v1::MatterParticipants& participants);
// At the committees' and the representatives' meetings everyone listed is
// a voter present.
int CountParticipants(const v1::MatterParticipants& participants);

// The smallest number above half of n, and the smallest number that is at
// least two thirds of n.
int MoreThanHalfOf(int n);
int TwoThirdsOf(int n);

struct VoteOutcome {
  bool carried = false;
  std::string detail;  // the rule and the numbers
};
// `vote` has entitled and present filled in. INVALID_ARGUMENT when the
// numbers do not add up (negative, more present than entitled, the votes
// not adding up to those present). FAILED_PRECONDITION (<STEP>_QUORUM_NOT_MET)
// when too few came: such a meeting decides nothing, and is recorded when
// it sits again with enough. Otherwise whether the vote carried:
//   DELIBERATION: more than half of the committees' seats present;
//   ASSEMBLY_REVIEW, REPRESENTATIVES_RESOLUTION: at least two thirds of the
//   entitled present;
//   and for all three more than half of those present in favour.
absl::StatusOr<VoteOutcome> DecideVote(StepKind step, const v1::MatterVote& vote);

// The publication clocks (--publication-min-days, --objection-answer-days).
// A day is 24 hours from the instant of posting or filing.
struct PublicationRules {
  absl::Duration min_up = absl::Hours(24 * 7);
  absl::Duration answer_within = absl::Hours(24 * 3);
};

// From the options, in days: each 1 to 365 (INVALID_ARGUMENT naming the option).
absl::StatusOr<PublicationRules> PublicationRulesFromDays(int64_t publication_min_days,
                                                          int64_t objection_answer_days);

absl::Time ResultPublishableFrom(absl::Time resolution_posted, const PublicationRules& rules);
// FAILED_PRECONDITION PUBLICATION_TOO_SHORT (saying from when, also in the
// metadata "publishable_time") until the resolution has been up min_up;
// OBJECTIONS_UNANSWERED while an objection to it is open: a publication is
// not complete while an objection to it waits for its answer.
absl::Status CheckResultPublishable(absl::Time resolution_posted, int open_objections,
                                    absl::Time now, const PublicationRules& rules);
// When the result's publication is complete, if no objection is then open.
absl::Time CompletionFrom(absl::Time result_posted, const PublicationRules& rules);
// The state to show: a stored RESULT_PUBLISHED is DONE once the result has
// been up min_up and no objection to it is open.
MatterState EffectiveState(MatterState stored, std::optional<absl::Time> result_posted,
                           int open_objections, absl::Time now, const PublicationRules& rules);
// The publication an objection filed now is against. FAILED_PRECONDITION
// NOTHING_PUBLISHED, MATTER_REJECTED or MATTER_DONE when none is up.
absl::StatusOr<StepKind> PublicationOpenToObjections(MatterState effective);
absl::Time AnswerDue(absl::Time filed, const PublicationRules& rules);
// An answer is late from the instant after it was due.
bool IsOverdue(absl::Time due, absl::Time now);

}  // namespace grassroots::orgs
