#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grassroots::careers {

// A record a call is about that the caller cannot see: a scoped caller
// cannot tell one outside its jurisdiction from one that does not exist
// (PERMISSION_DENIED, OUT_OF_SCOPE); an unscoped caller gets NOT_FOUND
// with `reason`.
absl::Status Hidden(const std::string& scope, absl::string_view noun, absl::string_view reason);

}  // namespace grassroots::careers
