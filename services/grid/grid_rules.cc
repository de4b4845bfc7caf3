#include "services/grid/grid_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"

namespace grassroots::grid {

absl::Status ValidateGridCode(absl::string_view field, absl::string_view code) {
  auto bad = [&] {
    return InvalidField(field, "GRID_CODE_INVALID",
                        "must be 1 to 32 characters of a-z, 0-9, '-' and '_', starting with a "
                        "letter or digit");
  };
  if (code.empty() || code.size() > 32) return bad();
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_'))) return bad();
  }
  return absl::OkStatus();
}

absl::Status ValidateName(absl::string_view field, absl::string_view name) {
  if (name.empty()) return InvalidField(field, "NAME_REQUIRED", "must not be empty");
  if (name.size() > 200) return InvalidField(field, "NAME_TOO_LONG", "must be at most 200 bytes");
  if (!IsPrintableUtf8(name)) {
    return InvalidField(field, "NAME_INVALID", "must be valid UTF-8 without control characters");
  }
  return absl::OkStatus();
}

absl::Status ValidatePurpose(absl::string_view purpose) {
  if (purpose.empty()) {
    return InvalidField("purpose", "PURPOSE_REQUIRED",
                        "say why the personal data is needed; it is recorded");
  }
  if (purpose.size() > 500 || !IsPrintableUtf8(purpose)) {
    return InvalidField("purpose", "PURPOSE_INVALID",
                        "must be at most 500 bytes of text without control characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateGridArea(absl::string_view field, orgs::v1::AreaKind kind,
                              absl::string_view area_path) {
  if (kind == orgs::v1::COMMUNITY) return absl::OkStatus();
  return InvalidField(field, "GRID_AREA_NOT_COMMUNITY",
                      absl::StrCat("a grid lies in a community; ", area_path, " is a ",
                                   orgs::v1::AreaKind_Name(kind)));
}

std::string GridPath(absl::string_view community_path, absl::string_view code) {
  return absl::StrCat(community_path, "/", code);
}

}  // namespace grassroots::grid
