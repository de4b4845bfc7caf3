#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grassroots::grid {

// Compounds, buildings and units. Pure rules, no I/O.

// A compound's street address: optional, at most 300 bytes.
absl::Status ValidateCompoundAddress(absl::string_view field, absl::string_view address);

// Floors above ground: 1 to 200, or 0 when not recorded.
absl::Status ValidateFloorCount(absl::string_view field, int floor_count);

// The grid a new building stands in: the compound's when it is in one (a
// grid given as well must be the same), else the one given, which is then
// required.
absl::StatusOr<std::string> BuildingGridId(const std::string& requested_grid_id,
                                           const std::string& compound_id,
                                           const std::string& compound_grid_id);

}  // namespace grassroots::grid
