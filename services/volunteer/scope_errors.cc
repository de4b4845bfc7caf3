#include "services/volunteer/scope_errors.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::volunteer {

absl::Status Hidden(const std::string& scope, absl::string_view field, absl::string_view noun,
                    absl::string_view reason) {
  const absl::string_view what = field.empty() ? absl::string_view("the record") : field;
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            absl::StrCat(what, " lies outside the caller's jurisdiction"));
  }
  if (field.empty()) return NotFound(reason, absl::StrCat("no such ", noun));
  return InvalidField(field, reason, absl::StrCat("no ", noun, " has this id"));
}

}  // namespace grassroots::volunteer
