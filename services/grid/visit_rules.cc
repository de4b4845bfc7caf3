#include "services/grid/visit_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/grid/grid_rules.h"

namespace grassroots::grid {

absl::Status ValidateVisitInterval(absl::string_view field, int days) {
  if (days < kMinVisitIntervalDays || days > kMaxVisitIntervalDays) {
    return InvalidField(field, "VISIT_INTERVAL_INVALID",
                        absl::StrCat("must be between ", kMinVisitIntervalDays, " and ",
                                     kMaxVisitIntervalDays, " days, not ", days));
  }
  return absl::OkStatus();
}

absl::Status ValidateKeyHousehold(absl::string_view prefix, bool key_household,
                                  const std::string& key_reason, int visit_interval_days,
                                  int resident_count) {
  const std::string reason_field = absl::StrCat(prefix, "key_reason");
  const std::string interval_field = absl::StrCat(prefix, "visit_interval_days");
  if (!key_household) {
    if (!key_reason.empty() || visit_interval_days != 0) {
      return InvalidField(key_reason.empty() ? interval_field : reason_field,
                          "KEY_FIELDS_WITHOUT_FLAG",
                          "only a key household has a key reason and a visit interval");
    }
    return absl::OkStatus();
  }
  if (key_reason.empty()) {
    return InvalidField(reason_field, "KEY_REASON_REQUIRED",
                        "say why the household is a key household");
  }
  if (auto s = ValidateText(reason_field, key_reason, kMaxKeyReasonBytes, true); !s.ok()) return s;
  if (auto s = ValidateVisitInterval(interval_field, visit_interval_days); !s.ok()) return s;
  if (resident_count == 0) {
    return InvalidField(absl::StrCat(prefix, "key_household"), "KEY_HOUSEHOLD_VACANT",
                        "nobody lives there to visit; record the residents first");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::grid
