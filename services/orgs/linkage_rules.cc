#include "services/orgs/linkage_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"

namespace grassroots::orgs {
namespace {

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// Seven digits in a row look like a phone or an ID number.
bool HoldsNumberLikePersonalData(absl::string_view text) {
  int run = 0;
  for (const char c : text) {
    run = absl::ascii_isdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
    if (run >= 7) return true;
  }
  return false;
}

absl::Status ValidateReference(absl::string_view field, absl::string_view reference) {
  if (reference.empty() || reference.size() > 128) {
    return InvalidField(field, "REFERENCE_INVALID",
                        "must be the other system's id, 1 to 128 bytes");
  }
  for (const char c : reference) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c))) {
      return InvalidField(field, "REFERENCE_INVALID",
                          "must be printable ASCII without spaces (an id, not a name)");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateText(absl::string_view field, absl::string_view text, size_t max_bytes) {
  if (text.empty()) return InvalidField(field, "TEXT_REQUIRED", "must not be empty");
  if (text.size() > max_bytes || !IsPrintableUtf8(text)) {
    return InvalidField(field, "TEXT_INVALID",
                        absl::StrCat("must be at most ", max_bytes,
                                     " bytes of UTF-8 text without control characters"));
  }
  return absl::OkStatus();
}

absl::Status ValidateLinkedParty(absl::string_view field, const v1::LinkedParty& party) {
  const std::string f(field);
  if (auto s = ValidateText(f + ".display_title", party.display_title(), 200); !s.ok()) return s;
  if (HoldsNumberLikePersonalData(party.display_title())) {
    return InvalidField(f + ".display_title", "PERSONAL_DATA_IN_TITLE",
                        "holds a number like a phone or ID number: give a position or a unit's "
                        "name only");
  }
  switch (party.kind()) {
    case v1::MEMBER_OFFICIAL:
      if (party.member_id().empty() || party.member_id().size() > 40) {
        return InvalidField(f + ".member_id", "ID_REQUIRED",
                            "a member official needs the member id");
      }
      if (!party.reference().empty() ||
          party.unit_kind() != v1::LinkedParty::UNIT_KIND_UNSPECIFIED) {
        return InvalidField(f, "PARTY_FIELDS_MIXED",
                            "a member official has a member id, not a reference or unit kind");
      }
      return absl::OkStatus();
    case v1::EXTERNAL_OFFICIAL:
      if (!party.member_id().empty() ||
          party.unit_kind() != v1::LinkedParty::UNIT_KIND_UNSPECIFIED) {
        return InvalidField(f, "PARTY_FIELDS_MIXED",
                            "an external official has a reference, not a member id or unit kind");
      }
      return ValidateReference(f + ".reference", party.reference());
    case v1::UNIT:
      if (!party.member_id().empty()) {
        return InvalidField(f, "PARTY_FIELDS_MIXED", "a unit has a reference, not a member id");
      }
      if (party.unit_kind() == v1::LinkedParty::UNIT_KIND_UNSPECIFIED ||
          !v1::LinkedParty::UnitKind_IsValid(party.unit_kind())) {
        return InvalidField(f + ".unit_kind", "UNIT_KIND_REQUIRED", "say what kind of unit it is");
      }
      return ValidateReference(f + ".reference", party.reference());
    default:
      return InvalidField(f + ".kind", "PARTY_KIND_REQUIRED",
                          "must be MEMBER_OFFICIAL, EXTERNAL_OFFICIAL or UNIT");
  }
}

absl::Status ValidateProblemCategory(absl::string_view field, absl::string_view category) {
  auto bad = [&] {
    return InvalidField(field, "CATEGORY_INVALID",
                        "must be 1 to 32 characters of a-z, 0-9, '-' and '_'");
  };
  if (category.empty() || category.size() > 32) return bad();
  for (const char c : category) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return bad();
  }
  return absl::OkStatus();
}

absl::Status ValidateLinkPeriod(absl::CivilDay start, const std::optional<absl::CivilDay>& end) {
  if (end && *end < start) {
    return InvalidField(
        "link.end_date", "LINK_PERIOD_INVALID",
        absl::StrCat("the link ends (", Day(*end), ") before it starts (", Day(start), ")"));
  }
  return absl::OkStatus();
}

bool LinkActiveOn(absl::CivilDay start, const std::optional<absl::CivilDay>& end,
                  absl::CivilDay day) {
  return start <= day && (!end || day <= *end);
}

absl::Status ValidateEndLink(v1::Link::State state, absl::CivilDay start,
                             const std::optional<absl::CivilDay>& planned_end,
                             absl::CivilDay end_date, absl::CivilDay today) {
  if (state != v1::Link::ACTIVE) {
    return FailedPrecondition("LINK_ENDED", "the link has ended already");
  }
  if (end_date < start) {
    return InvalidField("end_date", "LINK_PERIOD_INVALID",
                        absl::StrCat("a link cannot end (", Day(end_date), ") before it starts (",
                                     Day(start), ")"));
  }
  if (end_date > today) {
    return InvalidField("end_date", "DATE_IN_FUTURE",
                        absl::StrCat("a link is ended on a day that has come: ", Day(end_date),
                                     " is after today, ", Day(today)));
  }
  if (planned_end && end_date > *planned_end) {
    return InvalidField("end_date", "LINK_PERIOD_INVALID",
                        absl::StrCat("the link was planned to end on ", Day(*planned_end),
                                     "; it cannot end later (", Day(end_date), ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateRaise(absl::CivilDay link_start, const std::optional<absl::CivilDay>& link_end,
                           absl::CivilDay raised_date, absl::CivilDay today) {
  if (raised_date > today) {
    return InvalidField("raised_date", "DATE_IN_FUTURE",
                        absl::StrCat("a problem is raised on a day that has come: ",
                                     Day(raised_date), " is after today, ", Day(today)));
  }
  if (!LinkActiveOn(link_start, link_end, raised_date)) {
    return FailedPrecondition(
        "LINK_NOT_ACTIVE",
        absl::StrCat("the link was not active on ", Day(raised_date), ": it runs from ",
                     Day(link_start), link_end ? absl::StrCat(" to ", Day(*link_end)) : ""));
  }
  return absl::OkStatus();
}

absl::Status ValidateResolve(v1::LinkageProblem::State state, v1::LinkageProblem::State to,
                             absl::CivilDay raised_date, absl::CivilDay resolved_date,
                             absl::CivilDay today) {
  if (to != v1::LinkageProblem::SOLVED && to != v1::LinkageProblem::CLOSED_UNSOLVED) {
    return Internal("PROBLEM_STATE_INVALID", "a problem is resolved as solved or closed");
  }
  if (state != v1::LinkageProblem::OPEN) {
    return FailedPrecondition(
        "PROBLEM_RESOLVED",
        absl::StrCat("the problem is already ", v1::LinkageProblem::State_Name(state),
                     "; a problem is resolved once"));
  }
  const char* field = to == v1::LinkageProblem::SOLVED ? "solved_date" : "closed_date";
  if (resolved_date < raised_date) {
    return InvalidField(field, "DATE_BEFORE_RAISED",
                        absl::StrCat("the problem was raised on ", Day(raised_date),
                                     "; it cannot be resolved before, on ", Day(resolved_date)));
  }
  if (resolved_date > today) {
    return InvalidField(field, "DATE_IN_FUTURE",
                        absl::StrCat(Day(resolved_date), " is after today, ", Day(today)));
  }
  return absl::OkStatus();
}

absl::Status ValidateSummaryPeriod(absl::CivilDay from, absl::CivilDay to) {
  if (to < from) {
    return InvalidField(
        "to_date", "PERIOD_INVALID",
        absl::StrCat("the period ends (", Day(to), ") before it starts (", Day(from), ")"));
  }
  if (to - from + 1 > 3660) {
    return InvalidField(
        "to_date", "PERIOD_TOO_LONG",
        absl::StrCat("a summary covers at most 3,660 days (about ten years), not ", to - from + 1));
  }
  return absl::OkStatus();
}

int32_t SolvedRateBasisPoints(int64_t solved, int64_t raised) {
  if (raised <= 0) return 0;
  return static_cast<int32_t>((solved * 10000 * 2 + raised) / (raised * 2));
}

}  // namespace grassroots::orgs
