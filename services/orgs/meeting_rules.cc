#include "services/orgs/meeting_rules.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"
#include "services/orgs/committee_rules.h"

namespace grassroots::orgs {
namespace {

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

std::string Field(int index, absl::string_view name) {
  return absl::StrCat("attendance[", index, "].", name);
}

const char* TypeWords(v1::MeetingType type) {
  switch (type) {
    case v1::BRANCH_COMMITTEE:
      return "a branch committee meeting";
    case v1::GROUP_MEETING:
      return "a group meeting";
    case v1::MEMBER_ASSEMBLY:
      return "a member assembly";
    case v1::PARTY_LECTURE:
      return "a party lecture";
    default:
      return "a meeting";
  }
}

}  // namespace

int MeetingFrequencies::MonthsFor(v1::MeetingType type) const {
  switch (type) {
    case v1::BRANCH_COMMITTEE:
      return branch_committee_months;
    case v1::GROUP_MEETING:
      return group_meeting_months;
    case v1::MEMBER_ASSEMBLY:
      return member_assembly_months;
    case v1::PARTY_LECTURE:
      return party_lecture_months;
    default:
      return 0;
  }
}

absl::Status ValidateCycleMonths(absl::string_view option, int months) {
  if (months > 0 && months <= 12 && 12 % months == 0) return absl::OkStatus();
  return InvalidField(option, "CYCLE_MONTHS_INVALID",
                      absl::StrCat("must be 1, 2, 3, 4, 6 or 12 months (cycles follow the "
                                   "calendar year), not ",
                                   months));
}

absl::Status ValidateMeetingType(absl::string_view field, v1::MeetingType type) {
  switch (type) {
    case v1::BRANCH_COMMITTEE:
    case v1::GROUP_MEETING:
    case v1::MEMBER_ASSEMBLY:
    case v1::PARTY_LECTURE:
      return absl::OkStatus();
    default:
      return InvalidField(field, "MEETING_TYPE_INVALID",
                          "must be BRANCH_COMMITTEE, GROUP_MEETING, MEMBER_ASSEMBLY or "
                          "PARTY_LECTURE");
  }
}

std::vector<v1::MeetingType> MeetingTypesHeldBy(v1::OrganisationKind kind) {
  if (kind == v1::BUILDING_GROUP) return {v1::GROUP_MEETING};
  if (kind == v1::COMMUNITY_COMMITTEE) return {v1::BRANCH_COMMITTEE};
  if (IsBranchLevel(kind) || kind == v1::COMMUNITY_GENERAL_BRANCH) {
    return {v1::BRANCH_COMMITTEE, v1::MEMBER_ASSEMBLY, v1::PARTY_LECTURE};
  }
  return {};
}

absl::Status CheckHoldsMeetingType(v1::OrganisationKind kind, v1::MeetingType type) {
  const auto held = MeetingTypesHeldBy(kind);
  if (std::find(held.begin(), held.end(), type) != held.end()) return absl::OkStatus();
  return FailedPrecondition("MEETING_TYPE_NOT_HELD",
                            absl::StrCat("a ", v1::OrganisationKind_Name(kind), " does not hold ",
                                         v1::MeetingType_Name(type), " meetings"));
}

absl::Status CheckTransition(v1::Meeting::State from, v1::Meeting::State to) {
  if (from == v1::Meeting::HELD) {
    return FailedPrecondition("MEETING_ALREADY_HELD",
                              "the meeting is already recorded as held; it stays as recorded");
  }
  if (from == v1::Meeting::CANCELLED) {
    return FailedPrecondition("MEETING_CANCELLED", "the meeting was cancelled");
  }
  if (from == v1::Meeting::PLANNED && (to == v1::Meeting::HELD || to == v1::Meeting::CANCELLED)) {
    return absl::OkStatus();
  }
  return FailedPrecondition(
      "MEETING_TRANSITION_INVALID",
      absl::StrCat("a meeting does not go from ", v1::Meeting::State_Name(from), " to ",
                   v1::Meeting::State_Name(to)));
}

absl::Status ValidateTopic(absl::string_view field, absl::string_view topic) {
  if (!topic.empty() && topic.size() <= 200 && IsPrintableUtf8(topic)) return absl::OkStatus();
  return InvalidField(field, "TOPIC_INVALID", "must be 1-200 bytes of text");
}

absl::Status ValidateDecisions(const google::protobuf::RepeatedPtrField<std::string>& decisions) {
  if (decisions.size() > 50) {
    return InvalidField("decisions", "TOO_MANY_DECISIONS",
                        absl::StrCat("at most 50 decisions per meeting, not ", decisions.size()));
  }
  for (int i = 0; i < decisions.size(); ++i) {
    const std::string& d = decisions[i];
    if (d.empty() || d.size() > 1000 || !IsPrintableUtf8(d)) {
      return InvalidField(absl::StrCat("decisions[", i, "]"), "DECISION_INVALID",
                          "must be 1-1000 bytes of text");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCancelReason(absl::string_view reason) {
  if (!reason.empty() && reason.size() <= 500 && IsPrintableUtf8(reason)) return absl::OkStatus();
  return InvalidField("reason", "REASON_INVALID",
                      "say why the meeting is cancelled, in at most 500 bytes of text");
}

absl::Status CheckActualDate(absl::CivilDay actual, absl::CivilDay today) {
  if (actual <= today) return absl::OkStatus();
  return InvalidField(
      "actual_date", "DATE_IN_FUTURE",
      absl::StrCat("a meeting is recorded once held: not after today, ", Day(today)));
}

absl::Status ValidatePeriod(absl::CivilDay from, absl::CivilDay to) {
  if (to < from) {
    return InvalidField("to_date", "PERIOD_INVALID",
                        absl::StrCat("must not be before from_date, ", Day(from)));
  }
  if (absl::CivilYear(to) - absl::CivilYear(from) > 10) {
    return InvalidField("to_date", "PERIOD_TOO_LONG", "a report covers at most 10 years");
  }
  return absl::OkStatus();
}

absl::Status ValidateElection(v1::MeetingType type, bool election) {
  if (!election || type == v1::MEMBER_ASSEMBLY) return absl::OkStatus();
  return InvalidField(
      "election", "ELECTION_NOT_AT_ASSEMBLY",
      absl::StrCat("elections are held at member assemblies, not at ", TypeWords(type)));
}

int MoreThanHalf(int n) { return n / 2 + 1; }
int MoreThanFourFifths(int n) { return n * 4 / 5 + 1; }

v1::Quorum ComputeQuorum(v1::MeetingType type, bool election, int eligible, int present,
                         absl::CivilDay day) {
  v1::Quorum q;
  q.set_eligible(eligible);
  q.set_present(present);
  if (type == v1::MEMBER_ASSEMBLY || type == v1::BRANCH_COMMITTEE) {
    q.set_applies(true);
    const bool assembly = type == v1::MEMBER_ASSEMBLY;
    const int required =
        assembly && election ? MoreThanFourFifths(eligible) : MoreThanHalf(eligible);
    q.set_required(required);
    q.set_quorate(eligible > 0 && present >= required);
    if (assembly && election) {
      q.set_rule("ELECTION_MORE_THAN_FOUR_FIFTHS");
      q.set_message(
          absl::StrCat("an election needs more than four fifths of the full members "
                       "present: ",
                       present, " of ", eligible, " came, ", required, " needed"));
    } else if (assembly) {
      q.set_rule("MEMBER_ASSEMBLY_MORE_THAN_HALF");
      q.set_message(
          absl::StrCat("a member assembly needs more than half of the full members "
                       "present: ",
                       present, " of ", eligible, " came, ", required, " needed"));
    } else {
      q.set_rule("COMMITTEE_MORE_THAN_HALF");
      q.set_message(
          absl::StrCat("a branch committee meeting needs more than half of the "
                       "committee's seats present: ",
                       present, " of ", eligible, " came, ", required, " needed"));
    }
    if (eligible == 0) {
      q.set_message(absl::StrCat(q.message(), " (nobody counted on ", Day(day),
                                 ": the meeting cannot be quorate)"));
    }
    return q;
  }
  q.set_applies(false);
  q.set_quorate(true);
  q.set_rule("NO_QUORUM");
  q.set_message(absl::StrCat(TypeWords(type), " records attendance without a quorum: ", present,
                             " of ", eligible, " came"));
  return q;
}

absl::Status CheckAttendance(const std::vector<std::string>& roster_member_ids,
                             const google::protobuf::RepeatedPtrField<v1::Attendance>& attendance) {
  const absl::flat_hash_set<std::string> roster(roster_member_ids.begin(), roster_member_ids.end());
  absl::flat_hash_map<std::string, int> seen;
  for (int i = 0; i < attendance.size(); ++i) {
    const v1::Attendance& a = attendance[i];
    if (!roster.contains(a.member_id())) {
      return InvalidField(
          Field(i, "member_id"), "ATTENDEE_NOT_ON_ROSTER",
          absl::StrCat("member ", a.member_id(), " is not on the roster of the meeting's day"));
    }
    if (auto [it, added] = seen.emplace(a.member_id(), i); !added) {
      return InvalidField(
          Field(i, "member_id"), "ATTENDEE_REPEATED",
          absl::StrCat("member ", a.member_id(), " is already at attendance[", it->second, "]"));
    }
    if (a.present() && !a.absence_reason().empty()) {
      return InvalidField(Field(i, "absence_reason"), "ABSENCE_REASON_FOR_PRESENT",
                          "only an absent member has an absence reason");
    }
    if (!a.present() && (a.absence_reason().empty() || a.absence_reason().size() > 200 ||
                         !IsPrintableUtf8(a.absence_reason()))) {
      return InvalidField(Field(i, "absence_reason"), "ABSENCE_REASON_REQUIRED",
                          absl::StrCat("member ", a.member_id(),
                                       " was absent: say why, in at most 200 bytes of text"));
    }
  }
  for (const std::string& id : roster_member_ids) {
    if (!seen.contains(id)) {
      return InvalidField("attendance", "ATTENDANCE_INCOMPLETE",
                          absl::StrCat("member ", id,
                                       " is on the roster of the meeting's day: record them "
                                       "present or absent with a reason"));
    }
  }
  return absl::OkStatus();
}

int64_t CycleOf(absl::CivilDay day, int months) {
  const int64_t month_index = day.year() * 12 + (day.month() - 1);
  // Years before 0 do not occur; floor division anyway.
  return month_index >= 0 ? month_index / months : (month_index - months + 1) / months;
}

absl::CivilDay CycleFirstDay(int64_t cycle, int months) {
  const int64_t month_index = cycle * months;
  const int64_t year = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
  return absl::CivilDay(year, static_cast<int>(month_index - year * 12) + 1, 1);
}

absl::CivilDay CycleLastDay(int64_t cycle, int months) {
  return CycleFirstDay(cycle + 1, months) - 1;
}

MeetingDue NextDue(int months, absl::CivilDay base, absl::CivilDay today) {
  MeetingDue out;
  out.due = CycleLastDay(CycleOf(base, months) + 1, months);
  out.overdue = today > out.due;
  out.days_overdue = out.overdue ? static_cast<int>(today - out.due) : 0;
  return out;
}

ComplianceCount Compliance(int months, absl::CivilDay from, absl::CivilDay to, absl::CivilDay start,
                           absl::CivilDay today, const std::vector<HeldMeeting>& meetings,
                           const std::function<bool(absl::CivilDay)>& applies) {
  ComplianceCount out;
  absl::flat_hash_set<int64_t> met_cycles;
  for (const HeldMeeting& m : meetings) {
    if (m.day < from || m.day > to) continue;
    ++out.held;
    if (!m.valid) continue;
    ++out.valid;
    met_cycles.insert(CycleOf(m.day, months));
  }
  // The first cycle wholly inside the period, and not the start's own.
  int64_t first = CycleOf(from, months);
  if (CycleFirstDay(first, months) < from) ++first;
  first = std::max(first, CycleOf(start, months) + 1);
  for (int64_t cycle = first;; ++cycle) {
    const absl::CivilDay last = CycleLastDay(cycle, months);
    if (last > to || last >= today) break;
    if (!applies(last)) continue;
    ++out.required;
    if (met_cycles.contains(cycle)) ++out.met;
  }
  return out;
}

double ComplianceRate(int required, int met) {
  return required == 0 ? 1.0 : static_cast<double>(met) / required;
}

bool MeetingTypeAppliesOn(const MeetingFacts& facts, v1::MeetingType type, absl::CivilDay day) {
  const auto held = MeetingTypesHeldBy(facts.kind);
  if (std::find(held.begin(), held.end(), type) == held.end()) return false;
  if (type != v1::BRANCH_COMMITTEE) return true;
  int seats = 0;
  for (const SeatSpan& seat : facts.seats) seats += HeldOn(seat, day) ? 1 : 0;
  return IsCommittee(seats);
}

std::vector<v1::MeetingTypeClock> ClocksOn(const MeetingFacts& facts,
                                           const MeetingFrequencies& frequencies,
                                           absl::CivilDay today) {
  std::vector<v1::MeetingTypeClock> clocks;
  for (v1::MeetingType type : MeetingTypesHeldBy(facts.kind)) {
    if (!MeetingTypeAppliesOn(facts, type, today)) continue;
    const int months = frequencies.MonthsFor(type);
    v1::MeetingTypeClock clock;
    clock.set_type(type);
    clock.set_cycle_months(months);
    absl::CivilDay base = facts.start;
    if (auto it = facts.last_valid.find(type); it != facts.last_valid.end()) {
      base = it->second.day;
      clock.set_last_valid_meeting_id(it->second.meeting_id);
      clock.set_last_valid_date(Day(it->second.day));
    } else if (type == v1::BRANCH_COMMITTEE) {
      std::optional<absl::CivilDay> formed;
      for (const SeatSpan& seat : facts.seats) {
        if (HeldOn(seat, today) && (!formed || seat.start < *formed)) formed = seat.start;
      }
      if (formed && *formed > base) base = *formed;
    }
    const MeetingDue due = NextDue(months, base, today);
    clock.set_due_date(Day(due.due));
    clock.set_overdue(due.overdue);
    clock.set_days_overdue(due.days_overdue);
    clocks.push_back(std::move(clock));
  }
  return clocks;
}

std::vector<std::pair<v1::MeetingType, ComplianceCount>> ComplianceOf(
    const MeetingFacts& facts, const MeetingFrequencies& frequencies,
    const std::map<v1::MeetingType, std::vector<HeldMeeting>>& held, absl::CivilDay from,
    absl::CivilDay to, absl::CivilDay today) {
  static const std::vector<HeldMeeting> kNone;
  std::vector<std::pair<v1::MeetingType, ComplianceCount>> out;
  for (v1::MeetingType type : MeetingTypesHeldBy(facts.kind)) {
    auto it = held.find(type);
    out.emplace_back(type,
                     Compliance(frequencies.MonthsFor(type), from, to, facts.start, today,
                                it == held.end() ? kNone : it->second, [&](absl::CivilDay day) {
                                  return MeetingTypeAppliesOn(facts, type, day);
                                }));
  }
  return out;
}

}  // namespace grassroots::orgs
