#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grassroots/grid/v1/case.pb.h"

namespace grassroots::grid {

// The steps of a case's life, one per CaseService method that changes it,
// and the ones grid takes itself. Pure rules, no I/O.
enum class CaseAction {
  kRegister,
  kReject,
  kDispatch,
  kAccept,
  kDecline,
  kReportHandled,
  kVerifyPassed,
  kVerifyFailed,  // rework
  kClose,
  kEvaluateResolved,
  kEvaluateNotFixed,  // reopened, rework
  kSuspend,
  kResume,
  kRequestExtension,
  kDecideExtension,
  kEscalate,  // the sweeper, when a step's deadline passed
  kMerge,     // merged into another case (MergeCases)
};

// The name written in the timeline ("Register", "VerifyFailed", ...).
absl::string_view ActionName(CaseAction action);

// The roles that may take the step; the gateway enforces the method's
// declared roles, and grid checks these again so a misrouted call cannot
// take a step it should not. kEscalate is grid's own (no caller role).
const std::vector<std::string>& RolesFor(CaseAction action);

// PERMISSION_DENIED (ROLE_NOT_ALLOWED) naming the step unless one of
// `roles` may take it.
absl::Status CheckRole(CaseAction action, const std::vector<std::string>& roles);

// The same for what is not a step (the whistle): PERMISSION_DENIED
// (ROLE_NOT_ALLOWED), "your roles may not <what>", unless one of `roles`
// is among `allowed`.
absl::Status CheckRoles(const std::vector<std::string>& allowed,
                        const std::vector<std::string>& roles, absl::string_view what);

// Where `action` leads from `from`. `suspended_from` is the state a
// suspended case returns to on kResume. FAILED_PRECONDITION
// (STEP_NOT_ALLOWED) naming the state and the step when the step is not
// allowed there. Steps that leave the state as it is (extensions,
// escalation) answer `from`.
absl::StatusOr<v1::Case::State> NextState(v1::Case::State from, CaseAction action,
                                          v1::Case::State suspended_from);

// No step leads anywhere from these.
bool IsFinal(v1::Case::State state);
// Open: reported and neither rejected, closed nor evaluated.
bool IsOpen(v1::Case::State state);

absl::string_view StateName(v1::Case::State state);

}  // namespace grassroots::grid
