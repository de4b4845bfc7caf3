#include "services/grid/case_step_effects.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/case_deadlines.h"

namespace grassroots::grid {
namespace {

// A new state starts its step's clock afresh; overdue is per step.
void EnterState(CaseRow& row, v1::Case::State state, const v1::CaseCategory& category,
                const WorkCalendarRules& calendar, absl::Time now) {
  row.view.set_state(state);
  row.view.set_overdue(false);
  row.step_due = StepDue(category, calendar, state, row.extension_minutes, now);
  row.escalation_due = row.step_due;
}

}  // namespace

void SyncView(CaseRow& row) {
  v1::Case& v = row.view;
  if (row.step_due) {
    ToProtoTime(*row.step_due, v.mutable_step_due_time());
  } else {
    v.clear_step_due_time();
  }
  if (row.close_time) {
    ToProtoTime(*row.close_time, v.mutable_close_time());
  } else {
    v.clear_close_time();
  }
}

void StartCase(CaseRow& row, const v1::CaseCategory& category, const WorkCalendarRules& calendar,
               absl::Time now) {
  row.view.set_level(v1::Case::COMMUNITY);
  row.view.set_urgent(category.urgent());
  EnterState(row, v1::Case::REPORTED, category, calendar, now);
  row.step_count = 1;
  row.version = 1;
  SyncView(row);
}

absl::StatusOr<CaseStepRecord> ApplyCaseStep(CaseRow& row, const CaseStepInput& input,
                                             const v1::CaseCategory& category,
                                             const WorkCalendarRules& calendar, absl::Time now) {
  v1::Case& v = row.view;
  const v1::Case::State from = v.state();
  auto to = NextState(from, input.action, v.suspended_from());
  if (!to.ok()) return to.status();
  CaseStepRecord record{std::string(ActionName(input.action)), from, *to, input.note, ""};
  switch (input.action) {
    case CaseAction::kDispatch:
      v.set_department_id(input.department_id);
      record.detail = absl::StrCat("department_id=", input.department_id);
      break;
    case CaseAction::kDecline:
      record.detail = absl::StrCat("department_id=", v.department_id());
      v.clear_department_id();
      break;
    case CaseAction::kVerifyFailed:
    case CaseAction::kEvaluateNotFixed:
      v.set_rework_count(v.rework_count() + 1);
      row.close_time.reset();
      break;
    case CaseAction::kClose:
      row.close_time = now;
      break;
    case CaseAction::kMerge:
      v.set_merged_into_case_id(input.into_case_id);
      record.detail = absl::StrCat("into_case_id=", input.into_case_id);
      break;
    case CaseAction::kSuspend:
      v.set_suspended_from(from);
      row.suspended_remaining = row.step_due
                                    ? RemainingAllowance(category, calendar, now, *row.step_due)
                                    : absl::ZeroDuration();
      record.detail =
          absl::StrCat("remaining_seconds=", absl::ToInt64Seconds(row.suspended_remaining));
      break;
    case CaseAction::kRequestExtension:
      if (v.pending_extension_minutes() > 0) {
        return FailedPrecondition("EXTENSION_PENDING",
                                  "an extension request on this case awaits a decision");
      }
      v.set_pending_extension_minutes(input.extra_minutes);
      record.detail = absl::StrCat("extra_minutes=", input.extra_minutes);
      break;
    case CaseAction::kDecideExtension:
      if (v.pending_extension_minutes() == 0) {
        return FailedPrecondition("NO_EXTENSION_PENDING",
                                  "no extension request on this case awaits a decision");
      }
      record.detail = absl::StrCat(input.approved ? "approved" : "refused",
                                   " extra_minutes=", v.pending_extension_minutes());
      if (input.approved) {
        const absl::Duration extra = absl::Minutes(v.pending_extension_minutes());
        row.extension_minutes += v.pending_extension_minutes();
        v.set_extension_count(v.extension_count() + 1);
        row.step_due = DueAfter(category, calendar, row.step_due.value_or(now), extra);
        row.escalation_due = row.step_due;
        v.set_overdue(*row.step_due <= now);
      }
      v.set_pending_extension_minutes(0);
      break;
    default:
      break;
  }
  if (input.action == CaseAction::kEvaluateResolved ||
      input.action == CaseAction::kEvaluateNotFixed) {
    v.set_resolution(input.resolution);
    v.set_satisfaction(input.satisfaction);
    record.detail = absl::StrCat("resolution=", v1::Case::Resolution_Name(input.resolution),
                                 " satisfaction=", input.satisfaction);
  }
  if (input.action == CaseAction::kResume) {
    v.set_state(*to);
    v.set_suspended_from(v1::Case::STATE_UNSPECIFIED);
    v.set_overdue(false);
    row.step_due = DueAfter(category, calendar, now, row.suspended_remaining);
    row.escalation_due = row.step_due;
    row.suspended_remaining = absl::ZeroDuration();
  } else if (input.action == CaseAction::kSuspend) {
    v.set_state(*to);
    row.step_due.reset();
    row.escalation_due.reset();
  } else if (*to != from) {
    EnterState(row, *to, category, calendar, now);
  }
  row.step_count += 1;
  SyncView(row);
  return record;
}

CaseStepRecord EscalateCase(CaseRow& row, const v1::CaseCategory& category,
                            const WorkCalendarRules& calendar, absl::Time now) {
  v1::Case& v = row.view;
  const v1::Case::Level level = EscalatedLevel(v.level());
  v.set_level(level);
  v.set_overdue(true);
  if (level == v1::Case::DISTRICT) {
    row.escalation_due.reset();
  } else {
    row.escalation_due = DueAfter(category, calendar, now,
                                  StepAllowance(category, v.state(), row.extension_minutes));
  }
  row.step_count += 1;
  SyncView(row);
  return CaseStepRecord{std::string(ActionName(CaseAction::kEscalate)), v.state(), v.state(), "",
                        absl::StrCat("level=", v1::Case::Level_Name(level))};
}

}  // namespace grassroots::grid
