#include "services/grid/key_person_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/grid/grid_rules.h"
#include "services/grid/household_rules.h"
#include "services/grid/visit_rules.h"

namespace grassroots::grid {

absl::Status ValidateKeyPersonCategory(absl::string_view field, v1::KeyPersonCategory category) {
  if (category == v1::KEY_PERSON_CATEGORY_UNSPECIFIED || !v1::KeyPersonCategory_IsValid(category)) {
    return InvalidField(field, "KEY_PERSON_CATEGORY_REQUIRED",
                        "name why the person is followed: ELDERLY_LIVING_ALONE, DISABLED, "
                        "LOW_INCOME, ... or OTHER");
  }
  return absl::OkStatus();
}

absl::Status ValidateFollowUp(absl::string_view prefix, const std::string& reason,
                              int visit_interval_days) {
  if (reason.empty()) {
    return InvalidField(absl::StrCat(prefix, "reason"), "KEY_REASON_REQUIRED",
                        "say why the person is followed");
  }
  if (auto s = ValidateText(absl::StrCat(prefix, "reason"), reason, kMaxKeyReasonBytes, true);
      !s.ok()) {
    return s;
  }
  return ValidateVisitInterval(absl::StrCat(prefix, "visit_interval_days"), visit_interval_days);
}

absl::StatusOr<v1::KeyPerson> NormaliseKeyPerson(const v1::KeyPerson& in) {
  if (auto s = ValidateKeyPersonCategory("key_person.category", in.category()); !s.ok()) return s;
  if (auto s = ValidateName("key_person.name", in.name()); !s.ok()) return s;
  auto phone = NormaliseOptionalPhone("key_person.phone", in.phone());
  if (!phone.ok()) return phone.status();
  auto id_number = NormaliseOptionalIdNumber("key_person.id_number", in.id_number());
  if (!id_number.ok()) return id_number.status();
  if (auto s = ValidateFollowUp("key_person.", in.reason(), in.visit_interval_days()); !s.ok()) {
    return s;
  }
  v1::KeyPerson out = in;
  out.set_phone(*phone);
  out.set_id_number(*id_number);
  return out;
}

}  // namespace grassroots::grid
