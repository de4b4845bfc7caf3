#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "grassroots/orgs/v1/co_building.pb.h"

namespace grassroots::orgs {

// Co-building projects (共建项目). Pure rules, no I/O.
//
//   PLANNED -> IN_PROGRESS -> DONE, and PLANNED or IN_PROGRESS -> CANCELLED.
//
// A project is started before it is done; DONE and CANCELLED are final.

// FAILED_PRECONDITION with a reason naming both states when `to` does not
// follow `from`: PROJECT_STEP_SKIPPED (PLANNED to DONE), PROJECT_STATE_UNCHANGED
// (a repeat), PROJECT_CLOSED (from DONE or CANCELLED). INVALID_ARGUMENT for
// a `to` that is no state at all.
absl::Status CheckProjectTransition(v1::CoBuildingProject::State from,
                                    v1::CoBuildingProject::State to);

// Past its due date (the due day itself is not late) and still open
// (planned or in progress).
bool IsOverdue(v1::CoBuildingProject::State state, absl::CivilDay due_date, absl::CivilDay today);

// A new project falls due today or later.
absl::Status ValidateProjectDueDate(absl::string_view field, absl::CivilDay due_date,
                                    absl::CivilDay today);

}  // namespace grassroots::orgs
