#include "common/text/text_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"

namespace grassroots {

absl::Status ValidateText(absl::string_view field, absl::string_view text, size_t max_bytes,
                          bool required) {
  if (text.empty()) {
    if (required) return InvalidField(field, "TEXT_REQUIRED", "must not be empty");
    return absl::OkStatus();
  }
  if (text.size() > max_bytes) {
    return InvalidField(field, "TEXT_TOO_LONG",
                        absl::StrCat("must be at most ", max_bytes, " bytes"));
  }
  if (!IsPrintableUtf8(text)) {
    return InvalidField(field, "TEXT_INVALID", "must be valid UTF-8 without control characters");
  }
  return absl::OkStatus();
}

}  // namespace grassroots
