#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "grassroots/orgs/v1/committee.pb.h"
#include "grassroots/orgs/v1/member.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"

namespace grassroots::orgs {

// Committees of party organisations as the branch work regulations set
// them. Pure rules, no I/O.
//
// Who keeps a committee here: branch-level organisations (grid, compound,
// joint, floating-member, temporary and "two new" branches), community
// general branches and community committees. Building groups have a group
// leader instead; district and street committees are outside this service's
// organisational life.

// A branch with this many full members or more needs a committee...
inline constexpr int kCommitteeFromFullMembers = 7;
// ...of this many seats.
inline constexpr int kCommitteeMinSeats = 3;
inline constexpr int kCommitteeMaxSeats = 5;
// Community committees serve five-year terms.
inline constexpr int kCommunityTermYears = 5;

// The branch-level kinds (the ones the branch regulations call 支部).
bool IsBranchLevel(v1::OrganisationKind kind);
bool KeepsCommittee(v1::OrganisationKind kind);
// A committee in the regulations' sense: at least kCommitteeMinSeats seats.
// Fewer (a secretary, perhaps a deputy) is a branch without a committee.
bool IsCommittee(int seats);

// Something about a committee that breaks a rule: the rule's name and a
// message with the numbers. The coverage engine can raise these as work items.
struct CommitteeFinding {
  std::string rule;
  std::string message;
};

// "A branch with 7 or more full members needs a branch committee of 3 to
// 5": BRANCH_COMMITTEE_REQUIRED (fewer seats) or BRANCH_COMMITTEE_TOO_LARGE
// (more), none when the organisation is not a branch, has fewer than 7 full
// members, or its committee is the right size. `seats` counts seats held by
// full members.
std::optional<CommitteeFinding> BranchCommitteeSizeFinding(v1::OrganisationKind kind,
                                                           int full_members, int seats);

// One seat as the rules see it: held from `start` up to the day before `end`.
struct SeatSpan {
  std::string id;
  std::string member_id;
  v1::CommitteeRole role = v1::COMMITTEE_ROLE_UNSPECIFIED;
  absl::CivilDay start;
  std::optional<absl::CivilDay> end;
};
bool HeldOn(const SeatSpan& seat, absl::CivilDay day);

// A new seat (open-ended, from its start) against the organisation's
// existing ones: one secretary at a time (SECRETARY_SEAT_TAKEN) and one seat
// per member at a time (MEMBER_HOLDS_SEAT), over every day from the start
// on, so a back-dated appointment cannot overlap an earlier holder either.
absl::Status CheckAppointment(const std::vector<SeatSpan>& existing, const SeatSpan& seat);

// Roles are SECRETARY, DEPUTY_SECRETARY or COMMITTEE_MEMBER; a seat starts
// no later than today (appointments are recorded, not scheduled).
absl::Status ValidateRole(absl::string_view field, v1::CommitteeRole role);
absl::Status CheckSeatStart(absl::CivilDay start, absl::CivilDay today);
// An end reason is given (TERM_END included: a branch without recorded
// terms ends its seats one by one).
absl::Status ValidateEndReason(absl::string_view field, v1::CommitteeSeat::EndReason reason);

// A seat holder is a full member of the organisation on the seat's first
// day: `status` is the member's status on the roster that day (nullopt when
// not on it). SEAT_HOLDER_NOT_FULL_MEMBER names the member and the day.
absl::Status CheckSeatHolder(const std::string& member_id,
                             const std::optional<v1::MemberStatus>& status, absl::CivilDay day);

// A seat ends after its first day and not in the future, once.
absl::Status CheckSeatEnd(const SeatSpan& seat, absl::CivilDay end, absl::CivilDay today);

// Years a committee term of this kind of organisation runs; 0 when this
// service does not keep terms for it (only community organisations: the
// community committee and the community general branch).
int TermYears(v1::OrganisationKind kind);
// The day a term that began on `start` ends: the same day `years` later,
// or the month's last day when there is none (29 February in a common year:
// the Civil Code's rule for periods counted in years, art. 202).
absl::CivilDay TermEnd(absl::CivilDay start, int years);
// A new term begins after the previous one began, and not in the future.
absl::Status CheckNewTerm(v1::OrganisationKind kind, const std::optional<absl::CivilDay>& previous,
                          absl::CivilDay start, absl::CivilDay today);

// What a committee looks like on one day, for its findings.
struct CommitteeFacts {
  v1::OrganisationKind kind = v1::ORGANISATION_KIND_UNSPECIFIED;
  absl::CivilDay day;
  int full_members = 0;
  // Seats held that day, with whether their holder is a full member of the
  // organisation that day.
  struct Seat {
    std::string member_id;
    v1::CommitteeRole role = v1::COMMITTEE_ROLE_UNSPECIFIED;
    bool holder_is_full_member = false;
  };
  std::vector<Seat> seats;
  // The term covering the day or the last before it (community organisations).
  std::optional<absl::CivilDay> term_start, term_end;
};

// Every finding for that day: the size rule, NO_SECRETARY (an organisation
// that keeps a committee has nobody in the secretary's seat),
// SEAT_HOLDER_NOT_FULL_MEMBER (per seat; such seats do not count towards
// the size) and COMMITTEE_TERM_EXPIRED.
std::vector<CommitteeFinding> CommitteeFindings(const CommitteeFacts& facts);

}  // namespace grassroots::orgs
