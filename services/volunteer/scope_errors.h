#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grassroots::volunteer {

// A scoped caller cannot tell a record outside its jurisdiction from one
// that does not exist (PERMISSION_DENIED, OUT_OF_SCOPE); an unscoped caller
// is told it is not there: NOT_FOUND for the record a call is about (empty
// `field`), INVALID_ARGUMENT on `field` for one a request refers to.
absl::Status Hidden(const std::string& scope, absl::string_view field, absl::string_view noun,
                    absl::string_view reason);

}  // namespace grassroots::volunteer
