#include "services/grid/household_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/person_identifiers.h"
#include "services/grid/grid_rules.h"
#include "services/grid/visit_rules.h"

namespace grassroots::grid {

absl::Status ValidateDwelling(absl::string_view field, absl::string_view address) {
  if (address.empty()) {
    return InvalidField(field, "DWELLING_REQUIRED", "name the dwelling within the unit (\"1203\")");
  }
  return ValidateText(field, address, 64, true);
}

absl::Status ValidateResidentCount(absl::string_view field, int residents) {
  if (residents < 0 || residents > kMaxResidents) {
    return InvalidField(field, "RESIDENT_COUNT_INVALID",
                        absl::StrCat("must be between 0 (vacant) and ", kMaxResidents));
  }
  return absl::OkStatus();
}

absl::Status ValidateHouseholdShape(absl::string_view prefix, int resident_count, bool has_head,
                                    bool key_household, const std::string& key_reason,
                                    int visit_interval_days) {
  if (auto s = ValidateResidentCount(absl::StrCat(prefix, "resident_count"), resident_count);
      !s.ok()) {
    return s;
  }
  if (resident_count > 0 && !has_head) {
    return InvalidField(
        absl::StrCat(prefix, "head_name"), "HEAD_REQUIRED",
        absl::StrCat(resident_count, " resident(s) live there: name the head of household"));
  }
  return ValidateKeyHousehold(prefix, key_household, key_reason, visit_interval_days,
                              resident_count);
}

absl::StatusOr<std::string> NormaliseOptionalName(absl::string_view field,
                                                  const std::string& name) {
  if (name.empty()) return name;
  if (auto s = ValidateName(field, name); !s.ok()) return s;
  return name;
}

absl::StatusOr<std::string> NormaliseOptionalPhone(absl::string_view field,
                                                   const std::string& phone) {
  if (phone.empty()) return phone;
  return NormalisePhone(field, phone);
}

absl::StatusOr<std::string> NormaliseOptionalIdNumber(absl::string_view field,
                                                      const std::string& id_number) {
  if (id_number.empty()) return id_number;
  return NormaliseIdNumber(field, id_number);
}

v1::Household HouseholdFromRecord(const v1::HouseholdImportRecord& r) {
  v1::Household h;
  h.set_address(r.address());
  h.set_head_name(r.head_name());
  h.set_head_phone(r.head_phone());
  h.set_head_id_number(r.head_id_number());
  h.set_resident_count(r.resident_count());
  h.set_key_household(r.key_household());
  h.set_key_reason(r.key_reason());
  h.set_visit_interval_days(r.visit_interval_days());
  return h;
}

absl::StatusOr<v1::Household> NormaliseHousehold(const v1::Household& in,
                                                 absl::string_view prefix) {
  auto field = [&](absl::string_view name) { return absl::StrCat(prefix, name); };
  if (auto s = ValidateDwelling(field("address"), in.address()); !s.ok()) return s;
  auto name = NormaliseOptionalName(field("head_name"), in.head_name());
  if (!name.ok()) return name.status();
  auto phone = NormaliseOptionalPhone(field("head_phone"), in.head_phone());
  if (!phone.ok()) return phone.status();
  auto id_number = NormaliseOptionalIdNumber(field("head_id_number"), in.head_id_number());
  if (!id_number.ok()) return id_number.status();
  if (auto s =
          ValidateHouseholdShape(prefix, in.resident_count(), !name->empty(), in.key_household(),
                                 in.key_reason(), in.visit_interval_days());
      !s.ok()) {
    return s;
  }
  v1::Household out = in;
  out.set_head_phone(*phone);
  out.set_head_id_number(*id_number);
  return out;
}

}  // namespace grassroots::grid
