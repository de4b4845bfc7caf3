#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/server/call.h"
#include "grassroots/careers/v1/assessment.pb.h"
#include "services/careers/assessment_store.h"
#include "services/careers/grid_case_figures.h"

namespace grassroots::careers {

// AssessArea's work: every active worker under the path for the year,
// grid asked once per community (before anything is written, so a grid
// that fails half way leaves nothing half done), then recorded in batches.
absl::StatusOr<v1::AssessAreaSummary> AssessArea(const Call& call, const WriteContext& write,
                                                 AssessmentStore& store,
                                                 const GridCaseFigures& grid,
                                                 const v1::AssessAreaRequest& request);

}  // namespace grassroots::careers
