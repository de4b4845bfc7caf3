#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grassroots::dualreg {

// The answer for a record a caller asked about that is not in its scope or
// not there at all: a scoped caller cannot tell the two apart
// (PERMISSION_DENIED, OUT_OF_SCOPE); a city-wide caller gets NOT_FOUND.
absl::Status Hidden(const std::string& scope, absl::string_view noun, absl::string_view reason);

}  // namespace grassroots::dualreg
