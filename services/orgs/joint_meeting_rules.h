#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "grassroots/orgs/v1/joint_meeting.pb.h"

namespace grassroots::orgs {

// Joint meetings (联席会议) of a street or community with its resident units.
// Pure rules, no I/O.
//
//   PLANNED --record--> HELD
//   PLANNED --cancel--> CANCELLED
//
// Agenda items are accepted only while the meeting is planned; HELD and
// CANCELLED are final.

// The national practice: agenda items are in 15 days before the meeting.
inline constexpr int kDefaultAgendaDays = 15;
inline constexpr int kMaxInvitedUnits = 200;
inline constexpr int kMaxDecisions = 50;

// The last day an agenda item is accepted: `agenda_days` before the meeting.
absl::CivilDay AgendaDueDate(absl::CivilDay meeting_date, int agenda_days);

// AGENDA_TOO_LATE (FAILED_PRECONDITION) after the due date, naming the
// meeting date, the rule and the last day.
absl::Status CheckAgendaOnTime(absl::CivilDay meeting_date, int agenda_days, absl::CivilDay today);

// A meeting is scheduled for today or a later day.
absl::Status ValidateMeetingDate(absl::CivilDay meeting_date, absl::CivilDay today);

enum class JointMeetingStep { kSubmitAgenda, kRecord, kCancel };

// FAILED_PRECONDITION with a reason when the step does not follow from the
// state: MEETING_HELD, MEETING_CANCELLED.
absl::Status CheckMeetingStep(v1::JointMeeting::State state, JointMeetingStep step);

// A meeting is recorded as held on or after its date, never before.
absl::Status CheckRecordDate(absl::CivilDay meeting_date, absl::CivilDay today);

// 1 to kMaxInvitedUnits units, none twice.
absl::Status ValidateInvitations(const std::vector<std::string>& unit_ids);

// The convener (an empty unit id) or an invited unit submits agenda items.
absl::Status ValidateSubmitter(const std::vector<std::string>& invited, const std::string& unit_id);

// At least one invited unit came; none twice, none uninvited.
absl::Status ValidateAttendance(const std::vector<std::string>& invited,
                                const std::vector<std::string>& present);

// What a decision needs: an invited owner unit and a due date on or after
// the meeting's date. At most kMaxDecisions.
struct DecisionFacts {
  std::string owner_unit_id;
  absl::CivilDay due_date;
};
absl::Status ValidateDecisions(const std::vector<std::string>& invited, absl::CivilDay meeting_date,
                               const std::vector<DecisionFacts>& decisions);

}  // namespace grassroots::orgs
