#include "services/volunteer/expiry_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"
#include "services/volunteer/ledger_rules.h"

namespace grassroots::volunteer {

absl::Status ValidateExpiryRule(const v1::ExpiryRule& rule) {
  if (auto s = ValidateCommunityPath("rule.community_path", rule.community_path()); !s.ok()) {
    return s;
  }
  if (rule.months() < 1 || rule.months() > 120) {
    return InvalidField("rule.months", "EXPIRY_MONTHS_INVALID", "must be 1 to 120 months");
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::CivilDay> ParseAsOfDate(absl::string_view date, absl::Time now) {
  auto day = ParseDate("as_of_date", date);
  if (!day.ok()) return day.status();
  const absl::CivilDay latest = absl::ToCivilDay(now, absl::UTCTimeZone()) + 1;
  if (*day > latest) {
    return InvalidField("as_of_date", "AS_OF_DATE_IN_FUTURE",
                        absl::StrCat("points cannot be expired ahead of time; the latest date is ",
                                     DateText(latest)));
  }
  return *day;
}

absl::CivilDay ExpiryCutoff(absl::CivilDay as_of, int months) {
  const absl::CivilMonth month = absl::CivilMonth(as_of) - months;
  const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
  return std::min(absl::CivilDay(month.year(), month.month(), as_of.day()), last);
}

int64_t ExpiringPoints(int64_t credited_before_cutoff, int64_t debited_ever) {
  return std::max<int64_t>(0, credited_before_cutoff - debited_ever);
}

std::string ExpiryTransferId(absl::string_view volunteer_id, absl::CivilDay cutoff) {
  return absl::StrCat("expiry/", volunteer_id, "/", DateText(cutoff));
}

}  // namespace grassroots::volunteer
