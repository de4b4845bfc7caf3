#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grassroots::grid {

// Key households and key persons are flagged for visits (入户走访): why,
// and every how many days someone must call. Pure rules, no I/O.

inline constexpr int kMinVisitIntervalDays = 1;
inline constexpr int kMaxVisitIntervalDays = 365;
inline constexpr size_t kMaxKeyReasonBytes = 500;

// 1 to 365 days.
absl::Status ValidateVisitInterval(absl::string_view field, int days);

// A key household names its reason and visit interval and has someone
// living there; a household that is not key carries neither. `prefix` is
// the fields' message ("household." or "" for an import line).
absl::Status ValidateKeyHousehold(absl::string_view prefix, bool key_household,
                                  const std::string& key_reason, int visit_interval_days,
                                  int resident_count);

}  // namespace grassroots::grid
