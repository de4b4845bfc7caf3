#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grassroots/grid/v1/case.pb.h"

namespace grassroots::grid {

// A mediation session as a caller records it (RecordMediation), at `now`.
// Pure. INVALID_ARGUMENT naming the field: MEDIATOR_REQUIRED,
// PARTIES_OUT_OF_RANGE, PARTY_REPEATED, HELD_TIME_REQUIRED,
// HELD_IN_FUTURE, OUTCOME_REQUIRED, AGREEMENT_REQUIRED, and the text rules'
// reasons.
absl::Status ValidateMediation(const v1::Mediation& mediation, absl::Time now);

}  // namespace grassroots::grid
