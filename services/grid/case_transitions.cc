#include "services/grid/case_transitions.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

using State = v1::Case::State;

struct Transition {
  CaseAction action;
  std::vector<State> from;
  // STATE_UNSPECIFIED: the state stays (or, for kResume, the one suspended from).
  State to;
};

const std::vector<Transition>& Transitions() {
  static const auto* table = new std::vector<Transition>{
      {CaseAction::kRegister, {v1::Case::REPORTED}, v1::Case::REGISTERED},
      {CaseAction::kReject, {v1::Case::REPORTED}, v1::Case::REJECTED},
      {CaseAction::kDispatch, {v1::Case::REGISTERED}, v1::Case::DISPATCHED},
      {CaseAction::kAccept, {v1::Case::DISPATCHED}, v1::Case::HANDLING},
      {CaseAction::kDecline, {v1::Case::DISPATCHED}, v1::Case::REGISTERED},
      {CaseAction::kReportHandled, {v1::Case::HANDLING}, v1::Case::HANDLED},
      {CaseAction::kVerifyPassed, {v1::Case::HANDLED}, v1::Case::VERIFIED},
      {CaseAction::kVerifyFailed, {v1::Case::HANDLED}, v1::Case::HANDLING},
      {CaseAction::kClose, {v1::Case::VERIFIED}, v1::Case::CLOSED},
      {CaseAction::kEvaluateResolved, {v1::Case::CLOSED}, v1::Case::EVALUATED},
      {CaseAction::kEvaluateNotFixed, {v1::Case::CLOSED}, v1::Case::HANDLING},
      {CaseAction::kSuspend,
       {v1::Case::REGISTERED, v1::Case::DISPATCHED, v1::Case::HANDLING},
       v1::Case::SUSPENDED},
      {CaseAction::kResume, {v1::Case::SUSPENDED}, v1::Case::STATE_UNSPECIFIED},
      {CaseAction::kRequestExtension, {v1::Case::HANDLING}, v1::Case::STATE_UNSPECIFIED},
      {CaseAction::kDecideExtension, {v1::Case::HANDLING}, v1::Case::STATE_UNSPECIFIED},
      {CaseAction::kEscalate,
       {v1::Case::REPORTED, v1::Case::REGISTERED, v1::Case::DISPATCHED, v1::Case::HANDLING,
        v1::Case::HANDLED, v1::Case::VERIFIED},
       v1::Case::STATE_UNSPECIFIED},
      {CaseAction::kMerge,
       {v1::Case::REPORTED, v1::Case::REGISTERED, v1::Case::DISPATCHED, v1::Case::HANDLING,
        v1::Case::HANDLED, v1::Case::VERIFIED, v1::Case::SUSPENDED},
       v1::Case::MERGED},
  };
  return *table;
}

const Transition& TransitionOf(CaseAction action) {
  for (const Transition& t : Transitions()) {
    if (t.action == action) return t;
  }
  return Transitions().front();  // every action has a row (unit-tested)
}

}  // namespace

absl::string_view ActionName(CaseAction action) {
  switch (action) {
    case CaseAction::kRegister:
      return "Register";
    case CaseAction::kReject:
      return "Reject";
    case CaseAction::kDispatch:
      return "Dispatch";
    case CaseAction::kAccept:
      return "Accept";
    case CaseAction::kDecline:
      return "Decline";
    case CaseAction::kReportHandled:
      return "ReportHandled";
    case CaseAction::kVerifyPassed:
      return "VerifyPassed";
    case CaseAction::kVerifyFailed:
      return "VerifyFailed";
    case CaseAction::kClose:
      return "Close";
    case CaseAction::kEvaluateResolved:
      return "Evaluate";
    case CaseAction::kEvaluateNotFixed:
      return "EvaluateNotFixed";
    case CaseAction::kSuspend:
      return "Suspend";
    case CaseAction::kResume:
      return "Resume";
    case CaseAction::kRequestExtension:
      return "RequestExtension";
    case CaseAction::kDecideExtension:
      return "DecideExtension";
    case CaseAction::kEscalate:
      return "Escalate";
    case CaseAction::kMerge:
      return "Merge";
  }
  return "Unknown";
}

const std::vector<std::string>& RolesFor(CaseAction action) {
  static const auto* supervision = new std::vector<std::string>{"grid.supervisor", "grid.admin"};
  static const auto* command = new std::vector<std::string>{"grid.dispatcher", "grid.admin"};
  static const auto* department = new std::vector<std::string>{"grid.handler", "grid.admin"};
  static const auto* evaluation =
      new std::vector<std::string>{"grid.reporter", "grid.supervisor", "grid.admin"};
  static const auto* none = new std::vector<std::string>{};
  switch (action) {
    case CaseAction::kRegister:
    case CaseAction::kReject:
    case CaseAction::kVerifyPassed:
    case CaseAction::kVerifyFailed:
    case CaseAction::kClose:
    case CaseAction::kMerge:
      return *supervision;
    case CaseAction::kDispatch:
    case CaseAction::kSuspend:
    case CaseAction::kResume:
    case CaseAction::kDecideExtension:
      return *command;
    case CaseAction::kAccept:
    case CaseAction::kDecline:
    case CaseAction::kReportHandled:
    case CaseAction::kRequestExtension:
      return *department;
    case CaseAction::kEvaluateResolved:
    case CaseAction::kEvaluateNotFixed:
      return *evaluation;
    case CaseAction::kEscalate:
      return *none;
  }
  return *none;
}

absl::Status CheckRoles(const std::vector<std::string>& allowed,
                        const std::vector<std::string>& roles, absl::string_view what) {
  for (const std::string& role : roles) {
    if (std::find(allowed.begin(), allowed.end(), role) != allowed.end()) {
      return absl::OkStatus();
    }
  }
  return PermissionDenied("ROLE_NOT_ALLOWED", absl::StrCat("your roles may not ", what));
}

absl::Status CheckRole(CaseAction action, const std::vector<std::string>& roles) {
  return CheckRoles(RolesFor(action), roles,
                    absl::StrCat("take the step ", ActionName(action), " on a case"));
}

absl::StatusOr<v1::Case::State> NextState(State from, CaseAction action, State suspended_from) {
  const Transition& t = TransitionOf(action);
  if (std::find(t.from.begin(), t.from.end(), from) == t.from.end()) {
    return FailedPrecondition("STEP_NOT_ALLOWED",
                              absl::StrCat("a case in state ", StateName(from),
                                           " cannot take the step ", ActionName(action)));
  }
  if (t.to != v1::Case::STATE_UNSPECIFIED) return t.to;
  if (action == CaseAction::kResume) return suspended_from;
  return from;
}

bool IsFinal(State state) {
  return state == v1::Case::REJECTED || state == v1::Case::EVALUATED || state == v1::Case::MERGED;
}

bool IsOpen(State state) {
  return state != v1::Case::STATE_UNSPECIFIED && state != v1::Case::REJECTED &&
         state != v1::Case::CLOSED && state != v1::Case::EVALUATED && state != v1::Case::MERGED;
}

absl::string_view StateName(State state) {
  switch (state) {
    case v1::Case::REPORTED:
      return "REPORTED";
    case v1::Case::REGISTERED:
      return "REGISTERED";
    case v1::Case::REJECTED:
      return "REJECTED";
    case v1::Case::DISPATCHED:
      return "DISPATCHED";
    case v1::Case::HANDLING:
      return "HANDLING";
    case v1::Case::HANDLED:
      return "HANDLED";
    case v1::Case::VERIFIED:
      return "VERIFIED";
    case v1::Case::CLOSED:
      return "CLOSED";
    case v1::Case::EVALUATED:
      return "EVALUATED";
    case v1::Case::SUSPENDED:
      return "SUSPENDED";
    case v1::Case::MERGED:
      return "MERGED";
    default:
      return "UNSPECIFIED";
  }
}

}  // namespace grassroots::grid
