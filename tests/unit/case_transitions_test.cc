#include "services/grid/case_transitions.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

using State = v1::Case::State;

constexpr CaseAction kActions[] = {
    CaseAction::kRegister,
    CaseAction::kReject,
    CaseAction::kDispatch,
    CaseAction::kAccept,
    CaseAction::kDecline,
    CaseAction::kReportHandled,
    CaseAction::kVerifyPassed,
    CaseAction::kVerifyFailed,
    CaseAction::kClose,
    CaseAction::kEvaluateResolved,
    CaseAction::kEvaluateNotFixed,
    CaseAction::kSuspend,
    CaseAction::kResume,
    CaseAction::kRequestExtension,
    CaseAction::kDecideExtension,
    CaseAction::kEscalate,
    CaseAction::kMerge,
};

constexpr State kStates[] = {
    v1::Case::REPORTED,  v1::Case::REGISTERED, v1::Case::REJECTED, v1::Case::DISPATCHED,
    v1::Case::HANDLING,  v1::Case::HANDLED,    v1::Case::VERIFIED, v1::Case::CLOSED,
    v1::Case::EVALUATED, v1::Case::SUSPENDED,  v1::Case::MERGED,
};

// The workflow as the product describes it (GB/T 30428), written out here
// independently of the table in case_transitions.cc: every (state, step)
// pair not listed must be refused.
const std::map<std::pair<State, CaseAction>, State>& Allowed() {
  static const auto* allowed = new std::map<std::pair<State, CaseAction>, State>{
      {{v1::Case::REPORTED, CaseAction::kRegister}, v1::Case::REGISTERED},
      {{v1::Case::REPORTED, CaseAction::kReject}, v1::Case::REJECTED},
      {{v1::Case::REGISTERED, CaseAction::kDispatch}, v1::Case::DISPATCHED},
      {{v1::Case::DISPATCHED, CaseAction::kAccept}, v1::Case::HANDLING},
      {{v1::Case::DISPATCHED, CaseAction::kDecline}, v1::Case::REGISTERED},
      {{v1::Case::HANDLING, CaseAction::kReportHandled}, v1::Case::HANDLED},
      {{v1::Case::HANDLED, CaseAction::kVerifyPassed}, v1::Case::VERIFIED},
      {{v1::Case::HANDLED, CaseAction::kVerifyFailed}, v1::Case::HANDLING},
      {{v1::Case::VERIFIED, CaseAction::kClose}, v1::Case::CLOSED},
      {{v1::Case::CLOSED, CaseAction::kEvaluateResolved}, v1::Case::EVALUATED},
      {{v1::Case::CLOSED, CaseAction::kEvaluateNotFixed}, v1::Case::HANDLING},
      {{v1::Case::REGISTERED, CaseAction::kSuspend}, v1::Case::SUSPENDED},
      {{v1::Case::DISPATCHED, CaseAction::kSuspend}, v1::Case::SUSPENDED},
      {{v1::Case::HANDLING, CaseAction::kSuspend}, v1::Case::SUSPENDED},
      {{v1::Case::SUSPENDED, CaseAction::kResume}, v1::Case::DISPATCHED},  // suspended_from below
      {{v1::Case::HANDLING, CaseAction::kRequestExtension}, v1::Case::HANDLING},
      {{v1::Case::HANDLING, CaseAction::kDecideExtension}, v1::Case::HANDLING},
      {{v1::Case::REPORTED, CaseAction::kEscalate}, v1::Case::REPORTED},
      {{v1::Case::REGISTERED, CaseAction::kEscalate}, v1::Case::REGISTERED},
      {{v1::Case::DISPATCHED, CaseAction::kEscalate}, v1::Case::DISPATCHED},
      {{v1::Case::HANDLING, CaseAction::kEscalate}, v1::Case::HANDLING},
      {{v1::Case::HANDLED, CaseAction::kEscalate}, v1::Case::HANDLED},
      {{v1::Case::VERIFIED, CaseAction::kEscalate}, v1::Case::VERIFIED},
      {{v1::Case::REPORTED, CaseAction::kMerge}, v1::Case::MERGED},
      {{v1::Case::REGISTERED, CaseAction::kMerge}, v1::Case::MERGED},
      {{v1::Case::DISPATCHED, CaseAction::kMerge}, v1::Case::MERGED},
      {{v1::Case::HANDLING, CaseAction::kMerge}, v1::Case::MERGED},
      {{v1::Case::HANDLED, CaseAction::kMerge}, v1::Case::MERGED},
      {{v1::Case::VERIFIED, CaseAction::kMerge}, v1::Case::MERGED},
      {{v1::Case::SUSPENDED, CaseAction::kMerge}, v1::Case::MERGED},
  };
  return *allowed;
}

TEST(CaseTransitionsTest, EveryStepInEveryStateIsAllowedOrRefusedAsTheWorkflowSays) {
  int allowed = 0;
  int refused = 0;
  for (State from : kStates) {
    for (CaseAction action : kActions) {
      auto next = NextState(from, action, v1::Case::DISPATCHED);
      auto expected = Allowed().find({from, action});
      if (expected == Allowed().end()) {
        ASSERT_FALSE(next.ok()) << StateName(from) << " " << ActionName(action);
        EXPECT_EQ(ErrorReason(next.status()).value_or(""), "STEP_NOT_ALLOWED");
        EXPECT_NE(next.status().message().find(StateName(from)), std::string::npos);
        ++refused;
      } else {
        ASSERT_TRUE(next.ok()) << StateName(from) << " " << ActionName(action);
        EXPECT_EQ(*next, expected->second) << StateName(from) << " " << ActionName(action);
        ++allowed;
      }
    }
  }
  EXPECT_EQ(allowed, 30);
  EXPECT_EQ(refused, 11 * 17 - 30);
}

TEST(CaseTransitionsTest, ResumeReturnsToTheStateSuspendedFrom) {
  for (State from : {v1::Case::REGISTERED, v1::Case::DISPATCHED, v1::Case::HANDLING}) {
    auto suspended = NextState(from, CaseAction::kSuspend, v1::Case::STATE_UNSPECIFIED);
    ASSERT_TRUE(suspended.ok());
    EXPECT_EQ(*NextState(*suspended, CaseAction::kResume, from), from);
  }
}

TEST(CaseTransitionsTest, SupervisionAndCommandAreSeparateRoles) {
  const std::vector<std::string> supervisor = {"grid.supervisor"};
  const std::vector<std::string> dispatcher = {"grid.dispatcher"};
  const std::vector<std::string> handler = {"grid.handler"};
  const std::vector<std::string> reporter = {"grid.reporter"};
  for (CaseAction a : {CaseAction::kRegister, CaseAction::kReject, CaseAction::kVerifyPassed,
                       CaseAction::kVerifyFailed, CaseAction::kClose, CaseAction::kMerge}) {
    EXPECT_TRUE(CheckRole(a, supervisor).ok()) << ActionName(a);
    EXPECT_FALSE(CheckRole(a, dispatcher).ok()) << ActionName(a);
    EXPECT_FALSE(CheckRole(a, handler).ok()) << ActionName(a);
  }
  for (CaseAction a : {CaseAction::kDispatch, CaseAction::kSuspend, CaseAction::kResume,
                       CaseAction::kDecideExtension}) {
    EXPECT_TRUE(CheckRole(a, dispatcher).ok()) << ActionName(a);
    EXPECT_FALSE(CheckRole(a, supervisor).ok()) << ActionName(a);
    EXPECT_FALSE(CheckRole(a, handler).ok()) << ActionName(a);
  }
  for (CaseAction a : {CaseAction::kAccept, CaseAction::kDecline, CaseAction::kReportHandled,
                       CaseAction::kRequestExtension}) {
    EXPECT_TRUE(CheckRole(a, handler).ok()) << ActionName(a);
    EXPECT_FALSE(CheckRole(a, dispatcher).ok()) << ActionName(a);
    EXPECT_FALSE(CheckRole(a, supervisor).ok()) << ActionName(a);
  }
  EXPECT_TRUE(CheckRole(CaseAction::kEvaluateNotFixed, reporter).ok());
  EXPECT_FALSE(CheckRole(CaseAction::kClose, reporter).ok());
  auto refused = CheckRole(CaseAction::kDispatch, {"grid.viewer", "grid.editor"});
  EXPECT_EQ(ErrorReason(refused).value_or(""), "ROLE_NOT_ALLOWED");
  EXPECT_TRUE(absl::IsPermissionDenied(refused));
  // Only grid itself escalates.
  EXPECT_FALSE(CheckRole(CaseAction::kEscalate, {"grid.admin"}).ok());
}

TEST(CaseTransitionsTest, OpenAndFinalStates) {
  std::set<State> open;
  for (State s : kStates) {
    if (IsOpen(s)) open.insert(s);
  }
  EXPECT_EQ(open, (std::set<State>{v1::Case::REPORTED, v1::Case::REGISTERED, v1::Case::DISPATCHED,
                                   v1::Case::HANDLING, v1::Case::HANDLED, v1::Case::VERIFIED,
                                   v1::Case::SUSPENDED}));
  EXPECT_TRUE(IsFinal(v1::Case::REJECTED));
  EXPECT_TRUE(IsFinal(v1::Case::EVALUATED));
  EXPECT_TRUE(IsFinal(v1::Case::MERGED));
  EXPECT_FALSE(IsFinal(v1::Case::CLOSED));  // "not fixed" can still reopen it
}

}  // namespace
}  // namespace grassroots::grid
