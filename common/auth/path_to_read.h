#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace grassroots {

// The jurisdiction path a read (a list, a report, figures) covers: the
// request's `path`, which must lie within the caller's `scope`
// (PERMISSION_DENIED, OUT_OF_SCOPE), or the scope itself when it is empty.
absl::StatusOr<std::string> PathToRead(const std::string& scope, const std::string& path);

}  // namespace grassroots
