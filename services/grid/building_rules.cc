#include "services/grid/building_rules.h"

#include "common/status/errors.h"
#include "services/grid/grid_rules.h"

namespace grassroots::grid {

absl::Status ValidateCompoundAddress(absl::string_view field, absl::string_view address) {
  return ValidateText(field, address, 300, /*required=*/false);
}

absl::Status ValidateFloorCount(absl::string_view field, int floor_count) {
  if (floor_count < 0 || floor_count > 200) {
    return InvalidField(field, "FLOOR_COUNT_INVALID",
                        "must be between 1 and 200 floors, or 0 when not recorded");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> BuildingGridId(const std::string& requested_grid_id,
                                           const std::string& compound_id,
                                           const std::string& compound_grid_id) {
  if (compound_id.empty()) {
    if (requested_grid_id.empty()) {
      return InvalidField("building.grid_id", "ID_REQUIRED",
                          "a building on its own needs its grid (or give its compound)");
    }
    return requested_grid_id;
  }
  if (!requested_grid_id.empty() && requested_grid_id != compound_grid_id) {
    return InvalidField("building.grid_id", "BUILDING_GRID_MISMATCH",
                        "the compound lies in another grid; leave grid_id empty or give the "
                        "compound's");
  }
  return compound_grid_id;
}

}  // namespace grassroots::grid
