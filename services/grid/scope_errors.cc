#include "services/grid/scope_errors.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::grid {

absl::Status HiddenRecord(const std::string& scope, absl::string_view noun,
                          absl::string_view reason) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            absl::StrCat("the ", noun, " lies outside the caller's jurisdiction"));
  }
  return NotFound(reason, absl::StrCat("id: no such ", noun));
}

absl::Status HiddenReference(const std::string& scope, absl::string_view field,
                             absl::string_view noun, absl::string_view reason) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            absl::StrCat(field, " lies outside the caller's jurisdiction"));
  }
  return InvalidField(field, reason, absl::StrCat("no ", noun, " has this id"));
}

}  // namespace grassroots::grid
