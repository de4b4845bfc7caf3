#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "services/orgs/member_rules.h"

namespace grassroots::orgs {

// Civil dates in requests, for the linkage, evaluation and admission
// handlers. Days are UTC days, as everywhere in orgs.

inline absl::CivilDay Today(const Clock& clock) {
  return absl::ToCivilDay(clock.Now(), absl::UTCTimeZone());
}

// "YYYY-MM-DD", or `fallback` when the field is empty.
inline absl::StatusOr<absl::CivilDay> DateOr(absl::string_view field, const std::string& text,
                                             absl::CivilDay fallback) {
  if (text.empty()) return fallback;
  return ParseDate(field, text);
}

}  // namespace grassroots::orgs
