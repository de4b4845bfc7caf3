#include "services/dualreg/hidden.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::dualreg {

absl::Status Hidden(const std::string& scope, absl::string_view noun, absl::string_view reason) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            absl::StrCat("the ", noun, " lies outside the caller's jurisdiction"));
  }
  return NotFound(reason, absl::StrCat("no such ", noun));
}

}  // namespace grassroots::dualreg
