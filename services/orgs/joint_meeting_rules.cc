#include "services/orgs/joint_meeting_rules.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

absl::CivilDay AgendaDueDate(absl::CivilDay meeting_date, int agenda_days) {
  return meeting_date - agenda_days;
}

absl::Status CheckAgendaOnTime(absl::CivilDay meeting_date, int agenda_days, absl::CivilDay today) {
  const absl::CivilDay due = AgendaDueDate(meeting_date, agenda_days);
  if (today <= due) return absl::OkStatus();
  return FailedPrecondition(
      "AGENDA_TOO_LATE",
      absl::StrCat("agenda items are due ", agenda_days, " days before the meeting on ",
                   Day(meeting_date), ": the last day was ", Day(due), " and today is ",
                   Day(today)));
}

absl::Status ValidateMeetingDate(absl::CivilDay meeting_date, absl::CivilDay today) {
  if (meeting_date >= today) return absl::OkStatus();
  return InvalidField("meeting_date", "MEETING_DATE_PAST",
                      absl::StrCat("a meeting is scheduled for today (", Day(today),
                                   ") or later, not ", Day(meeting_date)));
}

absl::Status CheckMeetingStep(v1::JointMeeting::State state, JointMeetingStep step) {
  if (state == v1::JointMeeting::PLANNED) return absl::OkStatus();
  const char* what = step == JointMeetingStep::kSubmitAgenda ? "take agenda items"
                     : step == JointMeetingStep::kRecord     ? "be recorded"
                                                             : "be cancelled";
  if (state == v1::JointMeeting::HELD) {
    return FailedPrecondition("MEETING_HELD",
                              absl::StrCat("the meeting has been held and cannot ", what));
  }
  return FailedPrecondition("MEETING_CANCELLED",
                            absl::StrCat("the meeting was cancelled and cannot ", what));
}

absl::Status CheckRecordDate(absl::CivilDay meeting_date, absl::CivilDay today) {
  if (today >= meeting_date) return absl::OkStatus();
  return FailedPrecondition(
      "MEETING_NOT_YET_HELD",
      absl::StrCat("the meeting is on ", Day(meeting_date),
                   "; it can be recorded from that day, not on ", Day(today)));
}

absl::Status ValidateInvitations(const std::vector<std::string>& unit_ids) {
  if (unit_ids.empty()) {
    return InvalidField("invited_unit_ids", "INVITATIONS_REQUIRED",
                        "a joint meeting invites at least one resident unit");
  }
  if (unit_ids.size() > kMaxInvitedUnits) {
    return InvalidField(
        "invited_unit_ids", "TOO_MANY_INVITATIONS",
        absl::StrCat("at most ", kMaxInvitedUnits, " units; ", unit_ids.size(), " given"));
  }
  absl::flat_hash_set<std::string> seen;
  for (const auto& id : unit_ids) {
    if (id.empty() || id.size() > 40) {
      return InvalidField("invited_unit_ids", "ID_INVALID", "every entry must be a unit id");
    }
    if (!seen.insert(id).second) {
      return InvalidField("invited_unit_ids", "UNIT_LISTED_TWICE",
                          absl::StrCat("unit ", id, " is listed twice"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSubmitter(const std::vector<std::string>& invited,
                               const std::string& unit_id) {
  if (unit_id.empty() || Contains(invited, unit_id)) return absl::OkStatus();
  return InvalidField("unit_id", "UNIT_NOT_INVITED",
                      "agenda items come from the convener or a unit invited to the meeting");
}

absl::Status ValidateAttendance(const std::vector<std::string>& invited,
                                const std::vector<std::string>& present) {
  if (present.empty()) {
    return InvalidField("present_unit_ids", "ATTENDANCE_REQUIRED",
                        "a joint meeting is held with at least one of the invited units");
  }
  absl::flat_hash_set<std::string> seen;
  for (const auto& id : present) {
    if (!Contains(invited, id)) {
      return InvalidField("present_unit_ids", "UNIT_NOT_INVITED",
                          absl::StrCat("unit ", id, " was not invited to the meeting"));
    }
    if (!seen.insert(id).second) {
      return InvalidField("present_unit_ids", "UNIT_LISTED_TWICE",
                          absl::StrCat("unit ", id, " is listed twice"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateDecisions(const std::vector<std::string>& invited, absl::CivilDay meeting_date,
                               const std::vector<DecisionFacts>& decisions) {
  if (decisions.size() > kMaxDecisions) {
    return InvalidField(
        "decisions", "TOO_MANY_DECISIONS",
        absl::StrCat("at most ", kMaxDecisions, " decisions; ", decisions.size(), " given"));
  }
  for (size_t i = 0; i < decisions.size(); ++i) {
    const DecisionFacts& d = decisions[i];
    const std::string field = absl::StrCat("decisions[", i, "]");
    if (!Contains(invited, d.owner_unit_id)) {
      return InvalidField(absl::StrCat(field, ".owner_unit_id"), "UNIT_NOT_INVITED",
                          "a decision is owned by a unit invited to the meeting");
    }
    if (d.due_date < meeting_date) {
      return InvalidField(absl::StrCat(field, ".due_date"), "DUE_BEFORE_MEETING",
                          absl::StrCat("a decision falls due on or after the meeting on ",
                                       Day(meeting_date), ", not on ", Day(d.due_date)));
    }
  }
  return absl::OkStatus();
}

}  // namespace grassroots::orgs
