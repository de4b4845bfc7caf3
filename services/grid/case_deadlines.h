#pragma once

#include <optional>

#include "absl/time/time.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/grid/work_calendar.h"

namespace grassroots::grid {

// How long the step a case waits for in `state` may take under its
// category: the category's minutes, plus approved extensions while it is
// being handled. Zero for states that wait for no step (final, suspended,
// closed: the reporter's evaluation has no deadline). Pure rules, no I/O.
absl::Duration StepAllowance(const v1::CaseCategory& category, v1::Case::State state,
                             int extension_minutes);

// When the step that began at `entered` is due: the allowance counted on
// the clock for continuous categories, else on the region's working calendar.
// nullopt when the state waits for no step.
std::optional<absl::Time> StepDue(const v1::CaseCategory& category,
                                  const WorkCalendarRules& calendar, v1::Case::State state,
                                  int extension_minutes, absl::Time entered);

// The time of the allowance left at `now` before `due` (zero when past):
// kept while suspended, so resuming does not count the pause.
absl::Duration RemainingAllowance(const v1::CaseCategory& category,
                                  const WorkCalendarRules& calendar, absl::Time now,
                                  absl::Time due);

// The due time of a step resumed at `now` with `remaining` allowance left.
absl::Time DueAfter(const v1::CaseCategory& category, const WorkCalendarRules& calendar,
                    absl::Time now, absl::Duration remaining);

// Escalation (community → street → district): each time a step's deadline
// passes without the step, one level up; at the district it stays.
v1::Case::Level EscalatedLevel(v1::Case::Level level);

}  // namespace grassroots::grid
