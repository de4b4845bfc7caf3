#include "services/orgs/resident_input_rules.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"

namespace grassroots::orgs {

absl::Status ValidateHouseholdId(absl::string_view field, absl::string_view household_id) {
  if (household_id.empty()) {
    return InvalidField(field, "HOUSEHOLD_ID_REQUIRED", "name the household by its reference");
  }
  bool ok = household_id.size() <= 64;
  for (char ch : household_id) {
    const bool allowed = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                         (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == ':' ||
                         ch == '/' || ch == '-';
    ok = ok && allowed;
  }
  if (!ok) {
    return InvalidField(field, "HOUSEHOLD_ID_INVALID",
                        "a household reference is 1-64 of A-Z, a-z, 0-9 and . _ : / - "
                        "(the grid service's id, never a name)");
  }
  return absl::OkStatus();
}

absl::Status ValidateFreeText(absl::string_view field, absl::string_view text, size_t max_bytes,
                              bool required) {
  if (text.empty()) {
    if (!required) return absl::OkStatus();
    return InvalidField(field, "TEXT_REQUIRED", "must not be empty");
  }
  if (text.size() > max_bytes) {
    return InvalidField(field, "TEXT_TOO_LONG",
                        absl::StrCat("at most ", max_bytes, " bytes: ", text.size(), " given"));
  }
  // Line breaks and tabs belong in minutes and opinions; other control
  // characters do not.
  std::string flattened(text);
  for (char& ch : flattened) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  if (!IsPrintableUtf8(flattened)) {
    return InvalidField(field, "TEXT_INVALID",
                        "must be UTF-8 text without control characters other than line breaks");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::orgs
