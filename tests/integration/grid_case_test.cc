// The case workflow against a real MariaDB: a case's whole life with
// rework, the roles of each step, etags, idempotent reports and replayed
// steps, scope, duplicates, suspension and extensions, and the sweeper's
// escalation (twice at most, once however many replicas sweep).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "tests/integration/grid_case_fixture.h"

namespace grassroots::grid::testing {
namespace {

TEST_F(GridCaseTest, AWholeLifeWithReworkAndEveryStepInTheTimeline) {
  v1::Case c = Report();
  EXPECT_EQ(c.state(), v1::Case::REPORTED);
  EXPECT_EQ(c.level(), v1::Case::COMMUNITY);
  EXPECT_EQ(c.grid_path(), absl::StrCat(tree_.code, "/s1/c1/g01"));
  EXPECT_EQ(FromProtoTime(c.step_due_time()) - FromProtoTime(c.create_time()), absl::Hours(1));
  c = Take(&Stub::RegisterCase, StepOn(c), kSupervisor, "supervisor-1");
  EXPECT_EQ(c.state(), v1::Case::REGISTERED);
  v1::DispatchCaseRequest dispatch;
  *dispatch.mutable_step() = StepOn(c);  // no department: the category's
  c = Take(&Stub::DispatchCase, dispatch, kDispatcher, "dispatcher-1");
  EXPECT_EQ(c.state(), v1::Case::DISPATCHED);
  EXPECT_EQ(c.department_id(), department_);
  c = Take(&Stub::AcceptCase, StepOn(c), kHandler, "bureau");
  c = Take(&Stub::ReportCaseHandled, StepOn(c, "cleared the rubbish"), kHandler, "bureau");
  EXPECT_EQ(c.state(), v1::Case::HANDLED);
  v1::VerifyCaseRequest verify;
  *verify.mutable_step() = StepOn(c, "one bag still there");
  verify.set_passed(false);
  c = Take(&Stub::VerifyCase, verify, kSupervisor, "supervisor-1");
  EXPECT_EQ(c.state(), v1::Case::HANDLING);
  EXPECT_EQ(c.rework_count(), 1);
  c = Take(&Stub::ReportCaseHandled, StepOn(c, "all gone"), kHandler, "bureau");
  *verify.mutable_step() = StepOn(c);
  verify.set_passed(true);
  c = Take(&Stub::VerifyCase, verify, kSupervisor, "supervisor-1");
  EXPECT_EQ(c.state(), v1::Case::VERIFIED);
  c = Take(&Stub::CloseCase, StepOn(c), kSupervisor, "supervisor-1");
  EXPECT_EQ(c.state(), v1::Case::CLOSED);
  EXPECT_TRUE(c.has_close_time());
  // The reporter says it is not fixed: reopened, rework against the department.
  v1::EvaluateCaseRequest evaluate;
  *evaluate.mutable_step() = StepOn(c, "rubbish is back");
  evaluate.set_resolution(v1::Case::NOT_FIXED);
  evaluate.set_satisfaction(2);
  c = Take(&Stub::EvaluateCase, evaluate, kReporter, "worker-17");
  EXPECT_EQ(c.state(), v1::Case::HANDLING);
  EXPECT_EQ(c.rework_count(), 2);
  c = Take(&Stub::ReportCaseHandled, StepOn(c, "cleared and a bin put up"), kHandler, "bureau");
  *verify.mutable_step() = StepOn(c);
  c = Take(&Stub::VerifyCase, verify, kSupervisor, "supervisor-1");
  c = Take(&Stub::CloseCase, StepOn(c), kSupervisor, "supervisor-1");
  *evaluate.mutable_step() = StepOn(c);
  evaluate.set_resolution(v1::Case::FIXED);
  evaluate.set_satisfaction(5);
  c = Take(&Stub::EvaluateCase, evaluate, kReporter, "worker-17");
  EXPECT_EQ(c.state(), v1::Case::EVALUATED);
  EXPECT_EQ(c.satisfaction(), 5);

  v1::ListCaseStepsRequest list;
  list.set_case_id(c.id());
  list.set_page_size(5);
  std::vector<v1::CaseStep> steps;
  do {
    auto page = Rpc(*cases_, &Stub::ListCaseSteps, list);
    ASSERT_TRUE(page.ok()) << page.status();
    steps.insert(steps.end(), page->steps().begin(), page->steps().end());
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  std::vector<std::string> actions;
  for (const auto& s : steps) actions.push_back(s.action());
  EXPECT_EQ(actions,
            (std::vector<std::string>{"Report", "Register", "Dispatch", "Accept", "ReportHandled",
                                      "VerifyFailed", "ReportHandled", "VerifyPassed", "Close",
                                      "EvaluateNotFixed", "ReportHandled", "VerifyPassed", "Close",
                                      "Evaluate"}));
  EXPECT_EQ(steps[1].actor(), "supervisor-1");
  EXPECT_EQ(steps[5].note(), "one bag still there");
  EXPECT_EQ(steps[5].from_state(), v1::Case::HANDLED);
  EXPECT_EQ(steps[5].to_state(), v1::Case::HANDLING);
  EXPECT_EQ(steps[2].detail(), absl::StrCat("department_id=", department_));
  // Every step is an audit row and a feed event too.
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '",
                                          c.id(), "'")),
            14);
  // Nothing follows the final state.
  auto after = Rpc(*cases_, &Stub::RegisterCase, StepOn(c), "", "supervisor-1", kSupervisor);
  EXPECT_EQ(Reason(after.status()), "STEP_NOT_ALLOWED");
}

TEST_F(GridCaseTest, OnlyTheAllowedRoleTakesEachStep) {
  v1::Case c = Report();
  auto refused = Rpc(*cases_, &Stub::RegisterCase, StepOn(c), "", "dispatcher-1", kDispatcher);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(refused.status()), "ROLE_NOT_ALLOWED");
  c = Take(&Stub::RegisterCase, StepOn(c), kSupervisor);
  v1::DispatchCaseRequest dispatch;
  *dispatch.mutable_step() = StepOn(c);
  EXPECT_EQ(Reason(Rpc(*cases_, &Stub::DispatchCase, dispatch, "", "s", kSupervisor).status()),
            "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Reason(Rpc(*cases_, &Stub::DispatchCase, dispatch, "", "h", kHandler).status()),
            "ROLE_NOT_ALLOWED");
  EXPECT_EQ(Steps(c.id(), "Dispatch"), 0);
  // A department naming none that exists.
  dispatch.set_department_id("dp_nothere");
  auto unknown = Rpc(*cases_, &Stub::DispatchCase, dispatch, "", "d", kDispatcher);
  EXPECT_EQ(Reason(unknown.status()), "DEPARTMENT_NOT_FOUND");
  EXPECT_EQ(ErrorField(unknown.status()).value_or(""), "department_id");
  // Notes where the step must say why.
  EXPECT_EQ(Reason(Rpc(*cases_, &Stub::SuspendCase, StepOn(c), "", "d", kDispatcher).status()),
            "TEXT_REQUIRED");
}

TEST_F(GridCaseTest, EtagsAndReplays) {
  v1::Case c = Report();
  v1::CaseStepRequest step = StepOn(c);
  step.set_etag("999");
  EXPECT_EQ(Reason(Rpc(*cases_, &Stub::RegisterCase, step, "", "s", kSupervisor).status()),
            "ETAG_MISMATCH");
  // An offline phone sends the same step twice: one step, the same answer.
  step = StepOn(c);
  step.set_request_id("reg-1");
  auto first = Rpc(*cases_, &Stub::RegisterCase, step, "", "s", kSupervisor);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = Rpc(*cases_, &Stub::RegisterCase, step, "", "s", kSupervisor);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), first->etag());
  EXPECT_EQ(again->state(), v1::Case::REGISTERED);
  EXPECT_EQ(Steps(c.id(), "Register"), 1);

  // Reports replayed under one request id: one case.
  auto request = ReportAt(31.0, 121.0);
  request.set_request_id("report-offline-1");
  auto a = Rpc(*cases_, &Stub::ReportCase, request, "", "worker-9", kReporter);
  auto b = Rpc(*cases_, &Stub::ReportCase, request, "", "worker-9", kReporter);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->case_().id(), b->case_().id());
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM cases WHERE latitude = 31.0"), 1);
}

TEST_F(GridCaseTest, AStreetSeesOnlyItsOwnCases) {
  v1::Case mine = Report();
  auto theirs = Rpc(*cases_, &Stub::ReportCase, ReportAt(30.5, 120.5, other_grid_), "", "worker-3",
                    kReporter);
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  const std::string s1 = absl::StrCat(tree_.code, "/s1");
  v1::GetCaseRequest get;
  get.set_id(theirs->case_().id());
  auto refused = Rpc(*cases_, &Stub::GetCase, get, s1, "street-officer", kSupervisor);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(refused.status()), "OUT_OF_SCOPE");
  auto step =
      Rpc(*cases_, &Stub::RegisterCase, StepOn(theirs->case_()), s1, "street-officer", kSupervisor);
  EXPECT_EQ(Reason(step.status()), "OUT_OF_SCOPE");
  EXPECT_EQ(Steps(theirs->case_().id(), "Register"), 0);
  // Reporting into another street's grid is refused the same way.
  auto report =
      Rpc(*cases_, &Stub::ReportCase, ReportAt(30.6, 120.6, other_grid_), s1, "w", kReporter);
  EXPECT_EQ(Reason(report.status()), "OUT_OF_SCOPE");
  // Listing under the district as the street: only its own.
  v1::ListCasesRequest list;
  list.set_path_prefix(tree_.code);
  auto listed = Rpc(*cases_, &Stub::ListCases, list, s1, "street-officer", kSupervisor);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->cases_size(), 1);
  EXPECT_EQ(listed->cases(0).id(), mine.id());
}

TEST_F(GridCaseTest, ARepeatReportNearbyJoinsTheOpenCase) {
  v1::Case first = Report(30.2741, 120.1551);
  // About 20 m away: the same case.
  auto near =
      Rpc(*cases_, &Stub::ReportCase, ReportAt(30.2742, 120.1553), "", "resident-5", kReporter);
  ASSERT_TRUE(near.ok()) << near.status();
  EXPECT_TRUE(near->duplicate());
  EXPECT_EQ(near->case_().id(), first.id());
  EXPECT_EQ(near->case_().duplicate_reports(), 1);
  EXPECT_EQ(Steps(first.id(), "DuplicateReported"), 1);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM case_duplicate_reports WHERE"
                                          " case_id = '",
                                          first.id(), "' AND reporter_ref = 'worker-17'")),
            1);
  // About 300 m away: a case of its own.
  v1::Case far = Report(30.2768, 120.1551);
  EXPECT_NE(far.id(), first.id());
  // A closed case is not joined.
  v1::Case c = Take(&Stub::RejectCase, StepOn(near->case_(), "not litter"), kSupervisor);
  EXPECT_EQ(c.state(), v1::Case::REJECTED);
  v1::Case fresh = Report(30.2742, 120.1552);
  EXPECT_NE(fresh.id(), first.id());
}

TEST_F(GridCaseTest, StaffMergeARepeatCaseIntoTheOneKept) {
  v1::Case kept = Take(&Stub::RegisterCase, StepOn(Report(30.10, 120.10)), kSupervisor);
  // The same rubbish, reported by the hotline 300 m off: the rule did not link it.
  v1::Case repeat = Report(30.1027, 120.10);
  auto near =
      Rpc(*cases_, &Stub::ReportCase, ReportAt(30.1027, 120.1001), "", "resident-8", kReporter);
  ASSERT_TRUE(near.ok());
  ASSERT_TRUE(near->duplicate());  // linked to `repeat`
  repeat = near->case_();
  v1::MergeCasesRequest merge;
  *merge.mutable_step() = StepOn(repeat, "same heap, seen from the bridge");
  merge.mutable_step()->set_request_id("merge-1");
  merge.set_into_case_id(kept.id());
  auto refused = Rpc(*cases_, &Stub::MergeCases, merge, "", "dispatcher-1", kDispatcher);
  EXPECT_EQ(Reason(refused.status()), "ROLE_NOT_ALLOWED");
  auto merged = Rpc(*cases_, &Stub::MergeCases, merge, "", "supervisor-1", kSupervisor);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->merged().state(), v1::Case::MERGED);
  EXPECT_EQ(merged->merged().merged_into_case_id(), kept.id());
  // The merged case and its own linked report both follow the kept case now.
  EXPECT_EQ(merged->kept().duplicate_reports(), 2);
  EXPECT_EQ(merged->kept().state(), v1::Case::REGISTERED);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM case_duplicate_reports WHERE"
                                          " case_id = '",
                                          kept.id(), "'")),
            2);
  EXPECT_EQ(Steps(repeat.id(), "Merge"), 1);
  EXPECT_EQ(Steps(kept.id(), "MergedFrom"), 1);
  // A replay answers as the first time; a merged case is final.
  auto replay = Rpc(*cases_, &Stub::MergeCases, merge, "", "supervisor-1", kSupervisor);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->merged().etag(), merged->merged().etag());
  EXPECT_EQ(Steps(kept.id(), "MergedFrom"), 1);
  merge.mutable_step()->set_request_id("");
  merge.mutable_step()->set_etag("");
  auto again = Rpc(*cases_, &Stub::MergeCases, merge, "", "supervisor-1", kSupervisor);
  EXPECT_EQ(Reason(again.status()), "STEP_NOT_ALLOWED");
  // Only into an open case, never into itself, with a note.
  v1::Case other = Report(30.12, 120.10);
  *merge.mutable_step() = StepOn(other, "repeat");
  merge.set_into_case_id(repeat.id());
  auto closed = Rpc(*cases_, &Stub::MergeCases, merge, "", "supervisor-1", kSupervisor);
  EXPECT_EQ(Reason(closed.status()), "CASE_TO_KEEP_NOT_OPEN");
  merge.set_into_case_id(other.id());
  EXPECT_EQ(Reason(Rpc(*cases_, &Stub::MergeCases, merge, "", "s", kSupervisor).status()),
            "SAME_CASE");
  *merge.mutable_step() = StepOn(other);
  merge.set_into_case_id(kept.id());
  EXPECT_EQ(Reason(Rpc(*cases_, &Stub::MergeCases, merge, "", "s", kSupervisor).status()),
            "TEXT_REQUIRED");
  // Another street's case cannot be the one kept.
  auto theirs =
      Rpc(*cases_, &Stub::ReportCase, ReportAt(30.7, 120.7, other_grid_), "", "w", kReporter);
  ASSERT_TRUE(theirs.ok());
  *merge.mutable_step() = StepOn(other, "repeat");
  merge.set_into_case_id(theirs->case_().id());
  auto hidden =
      Rpc(*cases_, &Stub::MergeCases, merge, absl::StrCat(tree_.code, "/s1"), "s", kSupervisor);
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(GridCaseTest, ADisputeRecordsItsMediationsInTheTimeline) {
  v1::Case c = Take(&Stub::RegisterCase, StepOn(Report(30.15, 120.10)), kSupervisor);
  v1::RecordMediationRequest record;
  record.set_case_id(c.id());
  record.set_etag(c.etag());
  record.set_request_id("mediation-1");
  auto* m = record.mutable_mediation();
  m->set_mediator_ref("mediator-3");
  m->add_party_refs("household:12-301");
  m->add_party_refs("household:12-401");
  ToProtoTime(absl::Now() - absl::Hours(1), m->mutable_held_time());
  m->set_outcome(v1::Mediation::NOT_AGREED);
  auto reporter = Rpc(*cases_, &Stub::RecordMediation, record, "", "w", kReporter);
  EXPECT_EQ(Reason(reporter.status()), "ROLE_NOT_ALLOWED");
  auto first = Rpc(*cases_, &Stub::RecordMediation, record, "", "mediator-3", kHandler);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->case_id(), c.id());
  EXPECT_EQ(first->recorded_by(), "mediator-3");
  // A replay answers the first record, though the case's etag moved on.
  auto replay = Rpc(*cases_, &Stub::RecordMediation, record, "", "mediator-3", kHandler);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->id(), first->id());
  // The old etag is stale now.
  record.set_request_id("mediation-2");
  m->set_outcome(v1::Mediation::AGREED);
  m->set_agreement("the pipe is fixed by Friday");
  auto stale = Rpc(*cases_, &Stub::RecordMediation, record, "", "mediator-3", kHandler);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  record.clear_etag();
  ASSERT_TRUE(Rpc(*cases_, &Stub::RecordMediation, record, "", "mediator-3", kHandler).ok());
  EXPECT_EQ(Steps(c.id(), "Mediation"), 2);
  v1::ListMediationsRequest list;
  list.set_case_id(c.id());
  auto listed = Rpc(*cases_, &Stub::ListMediations, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->mediations_size(), 2);
  EXPECT_EQ(listed->mediations(1).outcome(), v1::Mediation::AGREED);
  // Another street sees none of it; a rejected case takes none.
  auto hidden =
      Rpc(*cases_, &Stub::ListMediations, list, absl::StrCat(tree_.code, "/s2"), "s", kSupervisor);
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kPermissionDenied);
  v1::Case rejected = Take(&Stub::RejectCase, StepOn(Report(30.17, 120.10), "no"), kSupervisor);
  record.set_case_id(rejected.id());
  record.set_request_id("mediation-3");
  auto closed = Rpc(*cases_, &Stub::RecordMediation, record, "", "mediator-3", kHandler);
  EXPECT_EQ(Reason(closed.status()), "CASE_NOT_OPEN");
}

TEST_F(GridCaseTest, SuspensionAndExtensions) {
  v1::Case c = Report();
  c = Take(&Stub::RegisterCase, StepOn(c), kSupervisor);
  v1::DispatchCaseRequest dispatch;
  *dispatch.mutable_step() = StepOn(c);
  dispatch.set_department_id(department_);
  c = Take(&Stub::DispatchCase, dispatch, kDispatcher);
  c = Take(&Stub::AcceptCase, StepOn(c), kHandler);
  const absl::Time due = FromProtoTime(c.step_due_time());
  c = Take(&Stub::SuspendCase, StepOn(c, "waiting for the owner to be found"), kDispatcher);
  EXPECT_EQ(c.state(), v1::Case::SUSPENDED);
  EXPECT_FALSE(c.has_step_due_time());
  c = Take(&Stub::ResumeCase, StepOn(c), kDispatcher);
  EXPECT_EQ(c.state(), v1::Case::HANDLING);
  // The pause (well under a second here) is not counted against the department.
  EXPECT_GE(FromProtoTime(c.step_due_time()), due);
  v1::RequestCaseExtensionRequest ask;
  *ask.mutable_step() = StepOn(c, "needs a crane");
  ask.set_extra_minutes(480);
  c = Take(&Stub::RequestCaseExtension, ask, kHandler);
  EXPECT_EQ(c.pending_extension_minutes(), 480);
  v1::DecideCaseExtensionRequest decide;
  *decide.mutable_step() = StepOn(c);
  decide.set_approved(true);
  const absl::Time before = FromProtoTime(c.step_due_time());
  c = Take(&Stub::DecideCaseExtension, decide, kDispatcher);
  EXPECT_EQ(FromProtoTime(c.step_due_time()) - before, absl::Minutes(480));
  EXPECT_EQ(c.extension_count(), 1);
}

TEST_F(GridCaseTest, OverdueCasesEscalateCommunityStreetDistrict) {
  v1::Case c = Report();
  CaseStore& store = Cases(*suite_);
  const absl::Time due = FromProtoTime(c.step_due_time());
  // Not yet due: nothing (other tests' cases may be).
  ASSERT_TRUE(store.EscalateOverdue({"grid:sweeper", "", due - absl::Minutes(1)}, 1000).ok());
  EXPECT_EQ(Steps(c.id(), "Escalate"), 0);
  v1::GetCaseRequest get;
  get.set_id(c.id());
  auto seen = Rpc(*cases_, &Stub::GetCase, get);
  EXPECT_EQ(seen->level(), v1::Case::COMMUNITY);
  EXPECT_FALSE(seen->overdue());
  // Due: to the street, and again an hour later to the district.
  EXPECT_GE(*store.EscalateOverdue({"grid:sweeper", "", due}, 1000), 1);
  seen = Rpc(*cases_, &Stub::GetCase, get);
  EXPECT_EQ(seen->level(), v1::Case::STREET);
  EXPECT_TRUE(seen->overdue());
  EXPECT_GE(*store.EscalateOverdue({"grid:sweeper", "", due + absl::Hours(1)}, 1000), 1);
  seen = Rpc(*cases_, &Stub::GetCase, get);
  EXPECT_EQ(seen->level(), v1::Case::DISTRICT);
  store.EscalateOverdue({"grid:sweeper", "", due + absl::Hours(100)}, 1000).IgnoreError();
  EXPECT_EQ(Steps(c.id(), "Escalate"), 2);
  // Overdue cases are listed as such.
  v1::ListCasesRequest list;
  list.set_grid_id(grid_);
  list.set_overdue_only(true);
  auto overdue = Rpc(*cases_, &Stub::ListCases, list);
  ASSERT_TRUE(overdue.ok());
  EXPECT_GE(overdue->cases_size(), 1);
  // Registering starts a fresh, not overdue step; the level stays.
  c = Take(&Stub::RegisterCase, StepOn(*seen), kSupervisor);
  EXPECT_FALSE(c.overdue());
  EXPECT_EQ(c.level(), v1::Case::DISTRICT);
}

TEST_F(GridCaseTest, TwoSweepersNeverEscalateACaseTwice) {
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(Report(10.0 + i, 100.0).id());
  // The same moment for both replicas, a day after everything was due.
  const WriteContext when{"grid:sweeper", "", absl::Now() + absl::Hours(24)};
  CaseStore replica_a(pool(), *GridService(*suite_).env().changes);
  CaseStore replica_b(pool(), *GridService(*suite_).env().changes);
  std::atomic<int> total{0};
  auto sweep = [&](CaseStore& store) {
    while (true) {
      auto n = store.EscalateOverdue(when, 3);
      ASSERT_TRUE(n.ok()) << n.status();
      total += *n;
      if (*n == 0) return;
    }
  };
  std::thread a([&] { sweep(replica_a); });
  std::thread b([&] { sweep(replica_b); });
  a.join();
  b.join();
  for (const std::string& id : ids) EXPECT_EQ(Steps(id, "Escalate"), 1) << id;
  EXPECT_GE(total.load(), 40);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM case_steps s JOIN cases c ON"
                                          " c.id = s.case_id WHERE s.action = 'Escalate' AND"
                                          " c.grid_id = '",
                                          grid_, "'")),
            40);
}

TEST_F(GridCaseTest, TheStreetBlowsTheWhistleAndDepartmentsReportIn) {
  v1::Case c = Report();
  v1::CreateDepartmentRequest police;
  police.mutable_department()->set_code(absl::StrCat("POLICE_", counter_));
  police.mutable_department()->set_name("Police station");
  police.mutable_department()->set_area_path(tree_.code);
  police.set_request_id(absl::StrCat("police-", counter_));
  auto second =
      Rpc(*case_setup_, &v1::CaseSetupService::Stub::CreateDepartment, police, "", "admin", kAdmin);
  ASSERT_TRUE(second.ok()) << second.status();
  v1::BlowWhistleRequest blow;
  blow.set_case_id(c.id());
  blow.add_department_ids(department_);
  blow.add_department_ids(second->id());
  blow.set_note("illegal dumping keeps coming back");
  blow.set_request_id("whistle-1");
  auto whistle = Rpc(*cases_, &Stub::BlowWhistle, blow, "", "street-command", kDispatcher);
  ASSERT_TRUE(whistle.ok()) << whistle.status();
  EXPECT_EQ(FromProtoTime(whistle->due_time()) - FromProtoTime(whistle->blow_time()),
            absl::Minutes(30));
  ASSERT_EQ(whistle->calls_size(), 2);
  // Replayed: the same whistle.
  EXPECT_EQ(Rpc(*cases_, &Stub::BlowWhistle, blow, "", "street-command", kDispatcher)->id(),
            whistle->id());
  EXPECT_EQ(Steps(c.id(), "Whistle"), 1);
  // Only command blows it; a department reports in, once.
  EXPECT_EQ(Reason(Rpc(*cases_, &Stub::BlowWhistle, blow, "", "h", kHandler).status()),
            "ROLE_NOT_ALLOWED");
  v1::ReportInRequest in;
  in.set_whistle_id(whistle->id());
  in.set_department_id(department_);
  in.set_note("two officers on their way");
  auto reported = Rpc(*cases_, &Stub::ReportIn, in, "", "bureau", kHandler);
  ASSERT_TRUE(reported.ok()) << reported.status();
  ASSERT_TRUE(Rpc(*cases_, &Stub::ReportIn, in, "", "bureau", kHandler).ok());
  EXPECT_EQ(Steps(c.id(), "ReportIn"), 1);
  in.set_department_id("dp_notcalled");
  EXPECT_EQ(Reason(Rpc(*cases_, &Stub::ReportIn, in, "", "bureau", kHandler).status()),
            "DEPARTMENT_NOT_CALLED");
  // The police never report in: flagged late once the half hour is over.
  WhistleStore& store = Whistles(*suite_);
  const absl::Time due = FromProtoTime(whistle->due_time());
  ASSERT_TRUE(store.FlagLateCalls({"grid:sweeper", "", due - absl::Seconds(1)}, 100).ok());
  v1::ListWhistlesRequest list;
  list.set_case_id(c.id());
  auto listed = Rpc(*cases_, &Stub::ListWhistles, list);
  ASSERT_TRUE(listed.ok());
  for (const auto& call : listed->whistles(0).calls()) EXPECT_FALSE(call.late());
  ASSERT_TRUE(store.FlagLateCalls({"grid:sweeper", "", due + absl::Seconds(1)}, 100).ok());
  ASSERT_TRUE(store.FlagLateCalls({"grid:sweeper", "", due + absl::Hours(1)}, 100).ok());
  listed = Rpc(*cases_, &Stub::ListWhistles, list);
  ASSERT_EQ(listed->whistles(0).calls_size(), 2);
  for (const auto& call : listed->whistles(0).calls()) {
    EXPECT_EQ(call.late(), call.department_id() == second->id()) << call.department_id();
    EXPECT_EQ(call.has_report_time(), call.department_id() == department_);
  }
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM whistle_calls WHERE"
                                          " whistle_id = '",
                                          whistle->id(), "' AND late")),
            1);
  // No whistle on a case no longer open.
  c = Take(&Stub::RejectCase,
           StepOn(*Rpc(*cases_, &Stub::GetCase,
                       [&] {
                         v1::GetCaseRequest g;
                         g.set_id(c.id());
                         return g;
                       }()),
                  "duplicate of an older case"),
           kSupervisor);
  blow.set_request_id("whistle-2");
  EXPECT_EQ(Reason(Rpc(*cases_, &Stub::BlowWhistle, blow, "", "c", kDispatcher).status()),
            "CASE_NOT_OPEN");
}

TEST_F(GridCaseTest, CategoriesAndCalendars) {
  auto listed = Rpc(*case_setup_, &v1::CaseSetupService::Stub::ListCategories,
                    v1::ListCategoriesRequest(), "", "viewer", {"grid.viewer"});
  ASSERT_TRUE(listed.ok());
  EXPECT_GE(listed->categories_size(), 1);
  v1::CreateCategoryRequest again;
  auto got = Rpc(*case_setup_, &v1::CaseSetupService::Stub::GetCategory,
                 [&] {
                   v1::GetCategoryRequest g;
                   g.set_code(category_);
                   return g;
                 }(),
                 "", "viewer", {"grid.viewer"});
  ASSERT_TRUE(got.ok());
  *again.mutable_category() = *got;
  again.mutable_category()->clear_etag();
  EXPECT_EQ(Reason(Rpc(*case_setup_, &v1::CaseSetupService::Stub::CreateCategory, again, "",
                       "admin", kAdmin)
                       .status()),
            "CATEGORY_EXISTS");
  // A street sets its own working week; its communities inherit it.
  v1::SetWorkCalendarRequest set;
  auto* cal = set.mutable_calendar();
  cal->set_area_path(absl::StrCat(tree_.code, "/s1"));
  cal->set_utc_offset_minutes(480);
  cal->set_day_start_minute(8 * 60 + 30);
  cal->set_day_end_minute(18 * 60);
  for (int d = 1; d <= 6; ++d) cal->add_working_weekdays(d);
  cal->add_holidays("2027-01-01");
  auto stored = Rpc(*case_setup_, &v1::CaseSetupService::Stub::SetWorkCalendar, set,
                    absl::StrCat(tree_.code, "/s1"), "street-admin", kAdmin);
  ASSERT_TRUE(stored.ok()) << stored.status();
  v1::GetWorkCalendarRequest get;
  get.set_area_path(absl::StrCat(tree_.code, "/s1/c1/g01"));
  auto inherited = Rpc(*case_setup_, &v1::CaseSetupService::Stub::GetWorkCalendar, get);
  ASSERT_TRUE(inherited.ok());
  EXPECT_EQ(inherited->area_path(), absl::StrCat(tree_.code, "/s1"));
  EXPECT_EQ(inherited->working_weekdays_size(), 6);
  get.set_area_path(absl::StrCat(tree_.code, "/s2"));
  EXPECT_EQ(Rpc(*case_setup_, &v1::CaseSetupService::Stub::GetWorkCalendar, get)->area_path(), "");
  // Another street's calendar is not this street's to set.
  cal->set_area_path(absl::StrCat(tree_.code, "/s2"));
  EXPECT_EQ(Reason(Rpc(*case_setup_, &v1::CaseSetupService::Stub::SetWorkCalendar, set,
                       absl::StrCat(tree_.code, "/s1"), "street-admin", kAdmin)
                       .status()),
            "OUT_OF_SCOPE");
}

}  // namespace
}  // namespace grassroots::grid::testing
