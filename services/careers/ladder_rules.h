#pragma once

#include <vector>

#include "absl/status/status.h"
#include "grassroots/careers/v1/assessment.pb.h"
#include "grassroots/careers/v1/worker.pb.h"

namespace grassroots::careers {

// The promotion ladder community cadre → committee member → civil service
// or public institution → street leadership. Pure, no I/O.

struct LadderStepNeeds {
  int years_on_rung;              // whole years on the current rung
  int assessments;                // the latest this many years' results ...
  v1::AssessmentResult at_least;  // ... each at least this
};

// What a step up to `to` needs (the product names the ladder, not the
// checks; docs/ARCHITECTURE.md records the choice): committee member 2
// years and the last result competent; civil service 3 years and the last
// two competent; street leadership 3 years and the last two excellent.
LadderStepNeeds NeedsFor(v1::Rung to);

// FAILED_PRECONDITION naming the unmet check: LADDER_NOT_NEXT_RUNG (one
// rung at a time), LADDER_WORKER_NOT_ACTIVE, LADDER_YEARS_ON_RUNG,
// LADDER_ASSESSMENTS_MISSING, LADDER_ASSESSMENT_BELOW. `latest_results`
// are the worker's results, newest year first.
absl::Status CheckLadderStep(v1::Rung from, v1::Rung to, v1::WorkerStatus status, int years_on_rung,
                             const std::vector<v1::AssessmentResult>& latest_results);

}  // namespace grassroots::careers
