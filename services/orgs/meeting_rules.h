#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/repeated_field.h"
#include "grassroots/orgs/v1/meeting.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"
#include "services/orgs/committee_rules.h"

namespace grassroots::orgs {

// Organisational life (三会一课) as rules: who holds which meeting, the
// meeting's states, quorum, and the next-due clock. Pure, no I/O.

// How often each type is due, in months per cycle. Cycles are aligned to
// the calendar year (months, quarters, halves, years), so a cycle length
// divides 12. The defaults are the regulations': branch committee and
// group meetings monthly, member assemblies and party lectures quarterly.
struct MeetingFrequencies {
  int branch_committee_months = 1;
  int group_meeting_months = 1;
  int member_assembly_months = 3;
  int party_lecture_months = 3;

  int MonthsFor(v1::MeetingType type) const;
};
// INVALID_ARGUMENT naming `option` unless `months` is 1, 2, 3, 4, 6 or 12.
absl::Status ValidateCycleMonths(absl::string_view option, int months);

absl::Status ValidateMeetingType(absl::string_view field, v1::MeetingType type);

// Who holds what: building groups hold group meetings; branch-level
// organisations and community general branches hold branch committee
// meetings, member assemblies and party lectures; community committees hold
// their committee meetings. Nobody else holds any.
std::vector<v1::MeetingType> MeetingTypesHeldBy(v1::OrganisationKind kind);
// FAILED_PRECONDITION (MEETING_TYPE_NOT_HELD) naming the kind and the type.
absl::Status CheckHoldsMeetingType(v1::OrganisationKind kind, v1::MeetingType type);

// The state machine: a planned meeting is held or cancelled, once; nothing
// follows either. FAILED_PRECONDITION (MEETING_ALREADY_HELD,
// MEETING_CANCELLED) otherwise.
absl::Status CheckTransition(v1::Meeting::State from, v1::Meeting::State to);

// A topic: 1-200 bytes of text. Decisions: at most 50, each 1-1000 bytes
// of text. A cancellation says why, in 1-500 bytes.
absl::Status ValidateTopic(absl::string_view field, absl::string_view topic);
absl::Status ValidateDecisions(const google::protobuf::RepeatedPtrField<std::string>& decisions);
absl::Status ValidateCancelReason(absl::string_view reason);
// A meeting is recorded once held: its actual date is not after today.
absl::Status CheckActualDate(absl::CivilDay actual, absl::CivilDay today);

// A reporting period: from on or before to, at most 10 years.
absl::Status ValidatePeriod(absl::CivilDay from, absl::CivilDay to);

// Elections are held at member assemblies only.
absl::Status ValidateElection(v1::MeetingType type, bool election);

// Smallest count that is more than half of `n`, and more than four fifths.
int MoreThanHalf(int n);
int MoreThanFourFifths(int n);

// The quorum of a held meeting. `eligible` and `present` are those who
// count: full members for a member assembly (more than half; more than four
// fifths for an election, as the election regulations put it), seats for a
// branch committee meeting (more than half); group meetings and lectures
// have no quorum and are always valid once held.
v1::Quorum ComputeQuorum(v1::MeetingType type, bool election, int eligible, int present,
                         absl::CivilDay day);

// Attendance against the roster of the day: every roster member exactly
// once, nobody else (ATTENDEE_NOT_ON_ROSTER names the member), absent ones
// with a reason of at most 200 bytes, present ones without. Errors name the
// field (attendance[i].member_id ...).
absl::Status CheckAttendance(const std::vector<std::string>& roster_member_ids,
                             const google::protobuf::RepeatedPtrField<v1::Attendance>& attendance);

// Cycles of `months` months, numbered from year 0 so that they compare and
// subtract.
int64_t CycleOf(absl::CivilDay day, int months);
absl::CivilDay CycleFirstDay(int64_t cycle, int months);
absl::CivilDay CycleLastDay(int64_t cycle, int months);

// The next-due clock: a meeting is due by the last day of the cycle after
// the one of `base` (the last valid meeting, or with none the
// organisation's start), and overdue on every day after that.
struct MeetingDue {
  absl::CivilDay due;
  bool overdue = false;
  int days_overdue = 0;
};
MeetingDue NextDue(int months, absl::CivilDay base, absl::CivilDay today);

// A held meeting as compliance sees it.
struct HeldMeeting {
  absl::CivilDay day;
  bool valid = false;
};
struct ComplianceCount {
  int required = 0;
  int met = 0;
  int held = 0;
  int valid = 0;
};
// Compliance of one organisation with one type over [from, to]: a cycle is
// required when it lies wholly inside the period, after the cycle of the
// organisation's start (the first cycle is a new organisation's grace, as
// on the clock), has ended before `today`, and `applies` holds on its last
// day (a branch committee meeting is due only while there is a committee);
// it is met when a valid meeting was held in it. Held and valid count the
// meetings held in the period.
ComplianceCount Compliance(int months, absl::CivilDay from, absl::CivilDay to, absl::CivilDay start,
                           absl::CivilDay today, const std::vector<HeldMeeting>& meetings,
                           const std::function<bool(absl::CivilDay)>& applies);
// met / required, and 1 when nothing was required.
double ComplianceRate(int required, int met);

// What the clock and compliance know of one organisation.
struct MeetingFacts {
  v1::OrganisationKind kind = v1::ORGANISATION_KIND_UNSPECIFIED;
  // The organisation's start: the day it was created here, or the day of
  // its first recorded meeting if that came earlier (it was meeting before
  // it was recorded).
  absl::CivilDay start;
  struct LastValid {
    absl::CivilDay day;
    std::string meeting_id;
  };
  std::map<v1::MeetingType, LastValid> last_valid;
  // Its committee seats, ended ones included.
  std::vector<SeatSpan> seats;
};

// Whether `type` is due from the organisation on `day`: it holds the type,
// and for a branch committee meeting it has a committee (3 or more seats)
// that day.
bool MeetingTypeAppliesOn(const MeetingFacts& facts, v1::MeetingType type, absl::CivilDay day);

// The clock of every type due from the organisation today. With no valid
// meeting yet the clock runs from the organisation's start, or for a branch
// committee meeting from when its longest-serving current seat began, if
// later.
std::vector<v1::MeetingTypeClock> ClocksOn(const MeetingFacts& facts,
                                           const MeetingFrequencies& frequencies,
                                           absl::CivilDay today);

// Compliance per type the organisation holds, over [from, to].
std::vector<std::pair<v1::MeetingType, ComplianceCount>> ComplianceOf(
    const MeetingFacts& facts, const MeetingFrequencies& frequencies,
    const std::map<v1::MeetingType, std::vector<HeldMeeting>>& held, absl::CivilDay from,
    absl::CivilDay to, absl::CivilDay today);

}  // namespace grassroots::orgs
