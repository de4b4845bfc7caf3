#include "services/orgs/committee_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// The seat covers some day on or after `from`.
bool HeldFrom(const SeatSpan& seat, absl::CivilDay from) { return !seat.end || *seat.end > from; }

}  // namespace

bool IsBranchLevel(v1::OrganisationKind kind) {
  switch (kind) {
    case v1::GRID_BRANCH:
    case v1::COMPOUND_BRANCH:
    case v1::JOINT_BRANCH:
    case v1::FLOATING_MEMBER_BRANCH:
    case v1::TEMPORARY_BRANCH:
    case v1::TWO_NEW_ORGANISATION:
      return true;
    default:
      return false;
  }
}

bool KeepsCommittee(v1::OrganisationKind kind) {
  return IsBranchLevel(kind) || kind == v1::COMMUNITY_GENERAL_BRANCH ||
         kind == v1::COMMUNITY_COMMITTEE;
}

bool IsCommittee(int seats) { return seats >= kCommitteeMinSeats; }

std::optional<CommitteeFinding> BranchCommitteeSizeFinding(v1::OrganisationKind kind,
                                                           int full_members, int seats) {
  if (!IsBranchLevel(kind) || full_members < kCommitteeFromFullMembers) return std::nullopt;
  const std::string rule_text =
      absl::StrCat("a branch with ", kCommitteeFromFullMembers,
                   " or more full members needs a branch committee of ", kCommitteeMinSeats, " to ",
                   kCommitteeMaxSeats, ": ", full_members, " full members, ", seats,
                   seats == 1 ? " seat" : " seats");
  if (seats < kCommitteeMinSeats) return CommitteeFinding{"BRANCH_COMMITTEE_REQUIRED", rule_text};
  if (seats > kCommitteeMaxSeats) return CommitteeFinding{"BRANCH_COMMITTEE_TOO_LARGE", rule_text};
  return std::nullopt;
}

bool HeldOn(const SeatSpan& seat, absl::CivilDay day) {
  return seat.start <= day && (!seat.end || day < *seat.end);
}

absl::Status CheckAppointment(const std::vector<SeatSpan>& existing, const SeatSpan& seat) {
  for (const SeatSpan& other : existing) {
    if (!HeldFrom(other, seat.start)) continue;
    const std::string until = other.end ? absl::StrCat(" until ", Day(*other.end)) : "";
    if (other.member_id == seat.member_id) {
      return FailedPrecondition(
          "MEMBER_HOLDS_SEAT",
          absl::StrCat("member ", seat.member_id, " holds seat ", other.id, " from ",
                       Day(other.start), until, ": end it before appointing the member again"));
    }
    if (seat.role == v1::SECRETARY && other.role == v1::SECRETARY) {
      return FailedPrecondition("SECRETARY_SEAT_TAKEN",
                                absl::StrCat("one secretary at a time: member ", other.member_id,
                                             " holds the secretary's seat from ", Day(other.start),
                                             until, ", on or after ", Day(seat.start)));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRole(absl::string_view field, v1::CommitteeRole role) {
  switch (role) {
    case v1::SECRETARY:
    case v1::DEPUTY_SECRETARY:
    case v1::COMMITTEE_MEMBER:
      return absl::OkStatus();
    default:
      return InvalidField(field, "ROLE_INVALID",
                          "must be SECRETARY, DEPUTY_SECRETARY or COMMITTEE_MEMBER");
  }
}

absl::Status CheckSeatStart(absl::CivilDay start, absl::CivilDay today) {
  if (start <= today) return absl::OkStatus();
  return InvalidField("start_date", "DATE_IN_FUTURE",
                      absl::StrCat("must not be after today, ", Day(today)));
}

absl::Status ValidateEndReason(absl::string_view field, v1::CommitteeSeat::EndReason reason) {
  if (reason != v1::CommitteeSeat::END_REASON_UNSPECIFIED &&
      v1::CommitteeSeat::EndReason_IsValid(reason)) {
    return absl::OkStatus();
  }
  return InvalidField(field, "END_REASON_INVALID",
                      "must be RESIGNATION, TERM_END, REMOVAL, TRANSFER_OUT or OTHER");
}

absl::Status CheckSeatHolder(const std::string& member_id,
                             const std::optional<v1::MemberStatus>& status, absl::CivilDay day) {
  if (status == v1::FULL) return absl::OkStatus();
  return FailedPrecondition(
      "SEAT_HOLDER_NOT_FULL_MEMBER",
      absl::StrCat("a seat holder must be a full member of the organisation: member ", member_id,
                   status ? " is a probationary member" : " is not on its roster", " on ",
                   Day(day)));
}

absl::Status CheckSeatEnd(const SeatSpan& seat, absl::CivilDay end, absl::CivilDay today) {
  if (seat.end) {
    return FailedPrecondition("SEAT_ENDED",
                              absl::StrCat("the seat already ended on ", Day(*seat.end)));
  }
  if (end <= seat.start) {
    return InvalidField("end_date", "SEAT_END_BEFORE_START",
                        absl::StrCat("must be after the seat's first day, ", Day(seat.start)));
  }
  if (end > today) {
    return InvalidField("end_date", "DATE_IN_FUTURE",
                        absl::StrCat("must not be after today, ", Day(today)));
  }
  return absl::OkStatus();
}

int TermYears(v1::OrganisationKind kind) {
  return kind == v1::COMMUNITY_COMMITTEE || kind == v1::COMMUNITY_GENERAL_BRANCH
             ? kCommunityTermYears
             : 0;
}

absl::CivilDay TermEnd(absl::CivilDay start, int years) {
  const absl::CivilMonth month(start.year() + years, start.month());
  const absl::CivilDay last_of_month = absl::CivilDay(month + 1) - 1;
  const absl::CivilDay same_day(month.year(), month.month(), start.day());
  // CivilDay normalises 29 February of a common year to 1 March.
  return same_day > last_of_month ? last_of_month : same_day;
}

absl::Status CheckNewTerm(v1::OrganisationKind kind, const std::optional<absl::CivilDay>& previous,
                          absl::CivilDay start, absl::CivilDay today) {
  if (TermYears(kind) == 0) {
    return FailedPrecondition(
        "TERM_NOT_KEPT",
        absl::StrCat("committee terms are kept for community committees and general branches, not "
                     "for a ",
                     v1::OrganisationKind_Name(kind)));
  }
  if (start > today) {
    return InvalidField("start_date", "DATE_IN_FUTURE",
                        absl::StrCat("must not be after today, ", Day(today)));
  }
  if (previous && start <= *previous) {
    return FailedPrecondition(
        "TERM_NOT_AFTER_PREVIOUS",
        absl::StrCat("a new term begins after the previous one, which began ", Day(*previous)));
  }
  return absl::OkStatus();
}

std::vector<CommitteeFinding> CommitteeFindings(const CommitteeFacts& facts) {
  std::vector<CommitteeFinding> findings;
  int counted = 0;
  bool secretary = false;
  for (const auto& seat : facts.seats) {
    if (!seat.holder_is_full_member) {
      findings.push_back(
          {"SEAT_HOLDER_NOT_FULL_MEMBER",
           absl::StrCat("a seat holder must be a full member of the organisation: member ",
                        seat.member_id, " (", v1::CommitteeRole_Name(seat.role), ") is not one on ",
                        Day(facts.day))});
      continue;
    }
    ++counted;
    if (seat.role == v1::SECRETARY) secretary = true;
  }
  if (auto size = BranchCommitteeSizeFinding(facts.kind, facts.full_members, counted)) {
    findings.insert(findings.begin(), *std::move(size));
  }
  if (KeepsCommittee(facts.kind) && !secretary) {
    findings.push_back(
        {"NO_SECRETARY", absl::StrCat("the organisation needs a secretary: no full member holds "
                                      "the secretary's seat on ",
                                      Day(facts.day))});
  }
  if (facts.term_end && *facts.term_end <= facts.day) {
    findings.push_back(
        {"COMMITTEE_TERM_EXPIRED",
         absl::StrCat("community committees serve ", kCommunityTermYears,
                      "-year terms: the term that began ", Day(*facts.term_start), " ended ",
                      Day(*facts.term_end), "; elect the next committee")});
  }
  return findings;
}

}  // namespace grassroots::orgs
