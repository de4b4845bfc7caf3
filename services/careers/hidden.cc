#include "services/careers/hidden.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::careers {

absl::Status Hidden(const std::string& scope, absl::string_view noun, absl::string_view reason) {
  if (scope.empty()) return NotFound(reason, absl::StrCat("no such ", noun));
  return PermissionDenied("OUT_OF_SCOPE",
                          absl::StrCat("the ", noun, " lies outside the caller's jurisdiction"));
}

}  // namespace grassroots::careers
