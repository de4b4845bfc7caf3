#include "services/orgs/big_committee_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::orgs {

absl::Status ValidateSeatRole(absl::string_view field, v1::BigCommitteeSeat::Role role) {
  if (role == v1::BigCommitteeSeat::ROLE_UNSPECIFIED || !v1::BigCommitteeSeat::Role_IsValid(role)) {
    return InvalidField(field, "SEAT_ROLE_INVALID",
                        "must be PART_TIME_DEPUTY_SECRETARY or PART_TIME_MEMBER");
  }
  return absl::OkStatus();
}

absl::Status ValidateSeatTerm(absl::CivilDay start, absl::CivilDay end) {
  if (end <= start) {
    return InvalidField("seat.term_end", "SEAT_TERM_INVALID",
                        absl::StrCat("the term ends on ", absl::FormatCivilTime(end),
                                     ", not after it starts on ", absl::FormatCivilTime(start)));
  }
  // Normalised: a term from 29 February may run to 1 March five years on.
  const absl::CivilDay latest(start.year() + kMaxSeatTermYears, start.month(), start.day());
  if (end > latest) {
    return InvalidField(
        "seat.term_end", "SEAT_TERM_TOO_LONG",
        absl::StrCat("a seat's term lasts at most ", kMaxSeatTermYears, " years: from ",
                     absl::FormatCivilTime(start), " it ends by ", absl::FormatCivilTime(latest)));
  }
  return absl::OkStatus();
}

}  // namespace grassroots::orgs
