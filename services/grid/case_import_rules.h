#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/grid/case_step_effects.h"
#include "services/grid/work_calendar.h"

namespace grassroots::grid {

// A case moved over from an earlier system (ImportCases): what one line
// must hold, and the case row it becomes. Pure rules, no I/O.

// The line on its own, at the time of the import `now`: the earlier
// system's ticket, a grid path, kind and source, the place and the text,
// a state a case can stand in (not SUSPENDED or MERGED), a department from
// DISPATCHED on, rework count, an EVALUATED case's resolution and
// satisfaction (1 to 5, as EvaluateCase takes), a create time not after
// `now` and a close time, not before it, for REJECTED, CLOSED and
// EVALUATED cases only.
absl::Status ValidateCaseImportLine(const v1::CaseImportRecord& record, absl::Time now);

// The line against its category: the kind is the category's.
absl::Status ValidateImportedCategory(const v1::CaseImportRecord& record,
                                      const v1::CaseCategory& category);

// Where the line's case goes, found by the store.
struct ImportedCasePlace {
  std::string case_id;
  std::string grid_id;
  std::string grid_path;
  std::string department_id;  // empty when the line names none
};

// The case as the earlier system left it. An open case's current step is
// given the category's allowance from the import (`now`): the earlier
// system's deadlines are not known, and its level already says who answers
// for a late case, so the sweeper does not escalate a city's backlog at once.
CaseRow ImportedCaseRow(const v1::CaseImportRecord& record, const ImportedCasePlace& place,
                        const v1::CaseCategory& category, const WorkCalendarRules& calendar,
                        absl::Time now);

// The one timeline line of an imported case ("Import", from no state to
// its state), naming the earlier system's ticket.
CaseStepRecord ImportedCaseStep(const v1::CaseImportRecord& record);

}  // namespace grassroots::grid
