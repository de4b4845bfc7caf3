#include "services/orgs/resident_unit_rules.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/auth/scope.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"

namespace grassroots::orgs {

absl::Status ValidateUnitKind(absl::string_view field, v1::ResidentUnit::Kind kind) {
  if (kind == v1::ResidentUnit::KIND_UNSPECIFIED || !v1::ResidentUnit::Kind_IsValid(kind)) {
    return InvalidField(field, "UNIT_KIND_INVALID",
                        "must be a unit kind such as GOVERNMENT_BODY, SCHOOL or HOSPITAL");
  }
  return absl::OkStatus();
}

absl::Status ValidateEmployeeCount(absl::string_view field, int64_t employees) {
  if (employees < 0 || employees > 1'000'000) {
    return InvalidField(field, "EMPLOYEE_COUNT_INVALID", "must be between 0 and 1,000,000");
  }
  return absl::OkStatus();
}

absl::Status ValidateUnitPlaceKind(absl::string_view field, v1::AreaKind kind) {
  if (kind == v1::STREET || kind == v1::TOWN || kind == v1::COMMUNITY) return absl::OkStatus();
  return InvalidField(field, "UNIT_PLACE_INVALID",
                      absl::StrCat("a resident unit registers with a street, town or community, "
                                   "not a ",
                                   v1::AreaKind_Name(kind)));
}

absl::Status ValidateRegionalLead(absl::string_view field, v1::OrganisationKind kind) {
  if (kind == v1::STREET_WORKING_COMMITTEE || kind == v1::COMMUNITY_COMMITTEE ||
      kind == v1::COMMUNITY_GENERAL_BRANCH) {
    return absl::OkStatus();
  }
  return InvalidField(field, "NOT_A_REGIONAL_LEAD",
                      absl::StrCat("regional party building is led by a street working committee "
                                   "or a community party committee or general branch, not a ",
                                   v1::OrganisationKind_Name(kind)));
}

absl::Status ValidateUnitTakesPart(absl::string_view field, v1::ResidentUnit::State state,
                                   absl::string_view unit_path, absl::string_view place_path) {
  if (state != v1::ResidentUnit::ACTIVE) {
    return FailedPrecondition("UNIT_WITHDRAWN", absl::StrCat(field, ": the unit has withdrawn"));
  }
  if (!PathWithin(unit_path, place_path)) {
    return InvalidField(
        field, "UNIT_OUTSIDE_PLACE",
        absl::StrCat("the unit is registered at ", unit_path, ", outside the place ", place_path));
  }
  return absl::OkStatus();
}

absl::Status ValidateFreeText(absl::string_view field, absl::string_view text, size_t max_bytes,
                              bool required, bool allow_newlines) {
  if (text.empty()) {
    if (required) return InvalidField(field, "TEXT_REQUIRED", "must not be empty");
    return absl::OkStatus();
  }
  if (text.size() > max_bytes) {
    return InvalidField(
        field, "TEXT_TOO_LONG",
        absl::StrCat("must be at most ", max_bytes, " bytes; it has ", text.size()));
  }
  const std::string checked =
      allow_newlines ? absl::StrReplaceAll(text, {{"\r\n", " "}, {"\n", " "}}) : std::string(text);
  if (!IsPrintableUtf8(checked)) {
    return InvalidField(field, "TEXT_INVALID", "must be valid UTF-8 without control characters");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::orgs
