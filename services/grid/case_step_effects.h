#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/grid/case_transitions.h"
#include "services/grid/work_calendar.h"

namespace grassroots::grid {

// A case as stored: the API view plus the bookkeeping only grid reads.
struct CaseRow {
  v1::Case view;
  std::optional<absl::Time> step_due;
  // When the sweeper next escalates it (the step's deadline, then one more
  // allowance per level); nullopt when it never will.
  std::optional<absl::Time> escalation_due;
  absl::Duration suspended_remaining = absl::ZeroDuration();
  // Approved extensions, added to the handling allowance.
  int extension_minutes = 0;
  int step_count = 0;
  int64_t version = 1;
  std::optional<absl::Time> close_time;
};

// What a caller sends with a step.
struct CaseStepInput {
  CaseAction action = CaseAction::kRegister;
  std::string note;
  std::string department_id;  // kDispatch: already resolved and checked
  v1::Case::Resolution resolution = v1::Case::RESOLUTION_UNSPECIFIED;
  int satisfaction = 0;
  int extra_minutes = 0;     // kRequestExtension
  bool approved = false;     // kDecideExtension
  std::string into_case_id;  // kMerge: the case kept
};

// The timeline line a step writes.
struct CaseStepRecord {
  std::string action;
  v1::Case::State from = v1::Case::STATE_UNSPECIFIED;
  v1::Case::State to = v1::Case::STATE_UNSPECIFIED;
  std::string note;
  std::string detail;
};

// What a step does to a case at `now`: the state (case_transitions.h), the
// step's deadline on the category's clock, rework and extension counts, the
// suspended allowance. Pure rules, no I/O; the store writes the result.
// FAILED_PRECONDITION when the step is not allowed in the case's state or
// an extension is (not) pending.
absl::StatusOr<CaseStepRecord> ApplyCaseStep(CaseRow& row, const CaseStepInput& input,
                                             const v1::CaseCategory& category,
                                             const WorkCalendarRules& calendar, absl::Time now);

// The sweeper's step on a case whose escalation_due has passed: overdue,
// one level up, and the next look one more allowance later (none once at
// the district). Pure.
CaseStepRecord EscalateCase(CaseRow& row, const v1::CaseCategory& category,
                            const WorkCalendarRules& calendar, absl::Time now);

// A new case's deadlines and bookkeeping at its report.
void StartCase(CaseRow& row, const v1::CaseCategory& category, const WorkCalendarRules& calendar,
               absl::Time now);

// Copies the bookkeeping's times into the API view.
void SyncView(CaseRow& row);

}  // namespace grassroots::grid
