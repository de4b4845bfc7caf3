#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace grassroots {

// The street (or town) of a jurisdiction path: its first two codes
// ("d01/s01/c03" -> "d01/s01"); a shorter path is its own street. The
// finest a metric label or a street-wide grouping may be.
std::string StreetOf(absl::string_view path);

}  // namespace grassroots
