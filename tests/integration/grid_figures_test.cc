// The live figures against a real MariaDB: counted from the change log once
// each, per area at every level, per department and worker and day; the
// cases behind a figure; overdue from the sweeper; a grid's sums follow it
// when orgs moves its community; the streets' ratings of departments; the
// street gauges; and scope.
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "tests/integration/grid_case_fixture.h"

namespace grassroots::grid::testing {
namespace {

using FiguresStub = v1::CaseFiguresService::Stub;
using GroupBy = v1::GetCaseFiguresRequest;
using Figure = v1::ListFigureCasesRequest;

const std::vector<std::string> kViewer = {"grid.viewer"};

// Yesterday to tomorrow (UTC), so a test running over midnight still counts.
v1::DatePeriod AroundToday() {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  v1::DatePeriod p;
  p.set_start_date(absl::FormatCivilTime(today - 1));
  p.set_end_date(absl::FormatCivilTime(today + 2));
  return p;
}

class GridFiguresTest : public GridCaseTest {
 protected:
  absl::StatusOr<v1::GetCaseFiguresResponse> Figures(GroupBy::GroupBy group,
                                                     const std::string& area,
                                                     const std::string& scope = "",
                                                     const std::string& department = "",
                                                     const std::string& worker = "") {
    v1::GetCaseFiguresRequest r;
    r.set_area_path(area);
    r.set_group_by(group);
    r.set_department_id(department);
    r.set_worker_ref(worker);
    *r.mutable_period() = AroundToday();
    return Rpc(*figures_, &FiguresStub::GetCaseFigures, r, scope, "viewer", kViewer);
  }

  v1::CaseFigures Total(const std::string& area, const std::string& department = "") {
    auto f = Figures(GroupBy::GROUP_BY_UNSPECIFIED, area, "", department);
    EXPECT_TRUE(f.ok()) << f.status();
    EXPECT_EQ(f.ok() ? f->figures_size() : 0, 1);
    return f.ok() && f->figures_size() == 1 ? f->figures(0) : v1::CaseFigures();
  }

  std::vector<std::string> CasesBehind(Figure::Figure figure, const std::string& area) {
    v1::ListFigureCasesRequest r;
    r.set_figure(figure);
    r.set_area_path(area);
    *r.mutable_period() = AroundToday();
    auto page = Rpc(*figures_, &FiguresStub::ListFigureCases, r, "", "viewer", kViewer);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const auto& c : page->cases()) ids.push_back(c.id());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  void Count() {
    auto counted = CountFigures(*suite_);
    ASSERT_TRUE(counted.ok()) << counted.status();
  }

  // Register → dispatch → accept → handled → verify failed → handled →
  // verified → closed → evaluated with `satisfaction`.
  v1::Case CloseWithRework(v1::Case c, int satisfaction) {
    c = Take(&Stub::RegisterCase, StepOn(c), kSupervisor);
    v1::DispatchCaseRequest dispatch;
    *dispatch.mutable_step() = StepOn(c);
    c = Take(&Stub::DispatchCase, dispatch, kDispatcher);
    c = Take(&Stub::AcceptCase, StepOn(c), kHandler);
    c = Take(&Stub::ReportCaseHandled, StepOn(c, "cleared"), kHandler);
    v1::VerifyCaseRequest verify;
    *verify.mutable_step() = StepOn(c, "still there");
    verify.set_passed(false);
    c = Take(&Stub::VerifyCase, verify, kSupervisor);
    c = Take(&Stub::ReportCaseHandled, StepOn(c, "cleared"), kHandler);
    *verify.mutable_step() = StepOn(c);
    verify.set_passed(true);
    c = Take(&Stub::VerifyCase, verify, kSupervisor);
    c = Take(&Stub::CloseCase, StepOn(c), kSupervisor);
    v1::EvaluateCaseRequest evaluate;
    *evaluate.mutable_step() = StepOn(c);
    evaluate.set_resolution(v1::Case::FIXED);
    evaluate.set_satisfaction(satisfaction);
    return Take(&Stub::EvaluateCase, evaluate, kReporter, "worker-17");
  }

  std::string S1() const { return absl::StrCat(tree_.code, "/s1"); }
  std::string S2() const { return absl::StrCat(tree_.code, "/s2"); }
};

TEST_F(GridFiguresTest, EveryLevelCountsEachStepOnceWithItsRates) {
  v1::Case closed = CloseWithRework(Report(30.20, 120.10), 4);
  v1::Case rejected =
      Take(&Stub::RejectCase, StepOn(Report(30.21, 120.10), "not ours"), kSupervisor);
  v1::Case open = Take(&Stub::RegisterCase, StepOn(Report(30.22, 120.10)), kSupervisor);
  auto far = Rpc(*cases_, &Stub::ReportCase, ReportAt(30.23, 120.10, other_grid_), "", "worker-9",
                 kReporter);
  ASSERT_TRUE(far.ok()) << far.status();
  Count();

  v1::CaseFigures district = Total(tree_.code);
  EXPECT_EQ(district.reported(), 4);
  EXPECT_EQ(district.registered(), 2);
  EXPECT_EQ(district.rejected(), 1);
  EXPECT_EQ(district.dispatched(), 1);
  EXPECT_EQ(district.closed(), 1);
  EXPECT_EQ(district.closed_on_time(), 1);
  EXPECT_EQ(district.closed_reworked(), 1);
  EXPECT_EQ(district.closed_at_community(), 1);
  EXPECT_EQ(district.rework_events(), 1);
  EXPECT_EQ(district.evaluated(), 1);
  EXPECT_EQ(district.open(), 2);  // `open` and `far`
  EXPECT_EQ(district.overdue(), 0);
  EXPECT_DOUBLE_EQ(district.closure_rate(), 0.5);
  EXPECT_DOUBLE_EQ(district.on_time_closure_rate(), 1.0);
  EXPECT_DOUBLE_EQ(district.rework_rate(), 1.0);
  EXPECT_DOUBLE_EQ(district.valid_report_rate(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(district.mean_satisfaction(), 4.0);
  EXPECT_EQ(district.mean_seconds_in_state().count("REPORTED"), 1u);
  EXPECT_EQ(district.mean_seconds_in_state().count("HANDLING"), 1u);

  // Counting again counts nothing twice, even two rounds at once.
  std::thread other([] { CountFigures(*suite_).IgnoreError(); });
  Count();
  other.join();
  EXPECT_EQ(Total(tree_.code).reported(), 4);

  // One row per street, per community of s1, per grid of c1.
  auto streets = Figures(GroupBy::CHILD_AREA, tree_.code);
  ASSERT_TRUE(streets.ok()) << streets.status();
  ASSERT_EQ(streets->figures_size(), 2);
  EXPECT_EQ(streets->figures(0).key(), S1());
  EXPECT_EQ(streets->figures(0).reported(), 3);
  EXPECT_EQ(streets->figures(1).key(), S2());
  EXPECT_EQ(streets->figures(1).reported(), 1);
  EXPECT_EQ(streets->figures(1).open(), 1);
  auto grids = Figures(GroupBy::CHILD_AREA, absl::StrCat(S1(), "/c1"));
  ASSERT_TRUE(grids.ok());
  ASSERT_EQ(grids->figures_size(), 1);
  EXPECT_EQ(grids->figures(0).key(), closed.grid_path());

  // The department's own figures, and the grid workers' reports.
  auto departments = Figures(GroupBy::DEPARTMENT, tree_.code);
  ASSERT_TRUE(departments.ok()) << departments.status();
  ASSERT_EQ(departments->figures_size(), 1);
  EXPECT_EQ(departments->figures(0).key(), department_);
  EXPECT_EQ(departments->figures(0).dispatched(), 1);
  EXPECT_EQ(departments->figures(0).closed(), 1);
  EXPECT_EQ(departments->figures(0).reported(), 0);
  // on time 1, rework rate 1, satisfaction 4 of 5.
  EXPECT_NEAR(departments->figures(0).department_score(), 100 * (0.4 + 0.0 + 0.3 * 0.8), 1e-9);
  auto workers = Figures(GroupBy::WORKER, tree_.code);
  ASSERT_TRUE(workers.ok());
  ASSERT_EQ(workers->figures_size(), 1);  // every report names reporter_ref worker-17
  EXPECT_EQ(workers->figures(0).key(), "worker-17");
  EXPECT_EQ(workers->figures(0).reported(), 4);
  EXPECT_EQ(workers->figures(0).registered(), 2);
  EXPECT_EQ(workers->figures(0).rejected(), 1);
  // The outcome of what the worker collected, as careers' assessment reads it.
  EXPECT_EQ(workers->figures(0).closed(), 1);
  EXPECT_EQ(workers->figures(0).evaluated(), 1);
  EXPECT_NEAR(workers->figures(0).mean_satisfaction(), 4.0, 1e-9);
  auto days = Figures(GroupBy::DAY, tree_.code);
  ASSERT_TRUE(days.ok());
  ASSERT_GE(days->figures_size(), 1);
  EXPECT_EQ(days->figures(0).open(), 0);

  // The cases behind the figures.
  EXPECT_EQ(CasesBehind(Figure::CLOSED, tree_.code), std::vector<std::string>{closed.id()});
  EXPECT_EQ(CasesBehind(Figure::CLOSED_REWORKED, tree_.code),
            std::vector<std::string>{closed.id()});
  std::vector<std::string> still_open = {open.id(), far->case_().id()};
  std::sort(still_open.begin(), still_open.end());
  EXPECT_EQ(CasesBehind(Figure::OPEN, tree_.code), still_open);
  EXPECT_EQ(CasesBehind(Figure::REPORTED, tree_.code).size(), 4u);
  EXPECT_EQ(CasesBehind(Figure::CLOSED_LATE, tree_.code).size(), 0u);
  (void)rejected;
}

TEST_F(GridFiguresTest, AStreetSeesItsOwnFiguresOnly) {
  Report(30.30, 120.10);
  Count();
  auto own = Figures(GroupBy::GROUP_BY_UNSPECIFIED, "", S1());
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->figures(0).reported(), 1);
  auto other = Figures(GroupBy::GROUP_BY_UNSPECIFIED, "", S2());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->figures(0).reported(), 0);
  auto outside = Figures(GroupBy::GROUP_BY_UNSPECIFIED, S1(), S2());
  EXPECT_EQ(outside.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(outside.status()), "OUT_OF_SCOPE");
  v1::ListFigureCasesRequest list;
  list.set_figure(Figure::OPEN);
  list.set_area_path(S1());
  auto hidden = Rpc(*figures_, &FiguresStub::ListFigureCases, list, S2(), "viewer", kViewer);
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kPermissionDenied);
  v1::GetCaseFiguresRequest no_period;
  auto refused = Rpc(*figures_, &FiguresStub::GetCaseFigures, no_period, "", "viewer", kViewer);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(GridFiguresTest, OverdueComesFromTheSweeperAndShowsOnTheStreetGauges) {
  v1::Case c = Take(&Stub::RegisterCase, StepOn(Report(30.40, 120.10)), kSupervisor);
  Count();
  EXPECT_EQ(Total(S1()).overdue(), 0);
  CaseStore& store = Cases(*suite_);
  ASSERT_TRUE(
      store.EscalateOverdue({"grid:sweeper", "", FromProtoTime(c.step_due_time())}, 1000).ok());
  Count();
  v1::CaseFigures street = Total(S1());
  EXPECT_EQ(street.open(), 1);
  EXPECT_EQ(street.overdue(), 1);
  const std::string gauges = StreetGaugesText(*suite_);
  EXPECT_NE(gauges.find(absl::StrCat("grid_street_cases_overdue{street=\"", S1(), "\"} 1")),
            std::string::npos)
      << gauges;
  EXPECT_NE(gauges.find(absl::StrCat("grid_street_case_events_today{event=\"registered\",street=\"",
                                     S1(), "\"} 1")),
            std::string::npos)
      << gauges;
  EXPECT_EQ(CasesBehind(Figure::OVERDUE, S1()), std::vector<std::string>{c.id()});
}

TEST_F(GridFiguresTest, AGridsSumsFollowItsCommunityWhenOrgsMovesIt) {
  Report(30.50, 120.10);
  Report(30.51, 120.10);
  Count();
  EXPECT_EQ(Total(S1()).reported(), 2);
  auto follower = MakeFollower(*suite_);
  ASSERT_TRUE(follower->CatchUp().ok());
  ASSERT_TRUE(MoveArea(*this, tree_.c1, tree_.s2).ok());
  const std::string moved = absl::StrCat(S2(), "/c1/g01");
  ASSERT_EQ(PathAfterCatchUp(*this, *follower, grid_, moved), moved);
  Count();
  EXPECT_EQ(Total(S1()).reported(), 0);
  EXPECT_EQ(Total(S1()).open(), 0);
  EXPECT_EQ(Total(S2()).reported(), 2);
  EXPECT_EQ(Total(S2()).open(), 2);
  EXPECT_EQ(Total(tree_.code).reported(), 2);
  EXPECT_EQ(Total(moved).reported(), 2);
  // The cases moved with their grid.
  EXPECT_EQ(CasesBehind(Figure::OPEN, S2()).size(), 2u);
  // A step after the move counts where the case is now.
  v1::ListCasesRequest list;
  list.set_grid_id(grid_);
  auto cases = Rpc(*cases_, &Stub::ListCases, list);
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->cases_size(), 2);
  EXPECT_EQ(cases->cases(0).grid_path(), moved);
  Take(&Stub::RejectCase, StepOn(cases->cases(0), "not ours"), kSupervisor);
  Count();
  EXPECT_EQ(Total(S2()).rejected(), 1);
  EXPECT_EQ(Total(S2()).open(), 1);
  EXPECT_EQ(Total(S1()).rejected(), 0);
}

TEST_F(GridFiguresTest, StreetsRateDepartmentsMonthly) {
  const std::string month =
      absl::FormatCivilTime(absl::CivilMonth(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone())));
  v1::RateDepartmentRequest rate;
  rate.set_department_id(department_);
  rate.set_street_path(S1());
  rate.set_month(month);
  rate.set_score(2);
  auto rated =
      Rpc(*figures_, &FiguresStub::RateDepartment, rate, S1(), "street-chief", kSupervisor);
  ASSERT_TRUE(rated.ok()) << rated.status();
  EXPECT_EQ(rated->rater(), "street-chief");
  rate.set_score(4);  // rating again replaces it
  ASSERT_TRUE(
      Rpc(*figures_, &FiguresStub::RateDepartment, rate, S1(), "street-chief", kSupervisor).ok());
  rate.set_street_path(S2());
  rate.set_score(3);
  ASSERT_TRUE(
      Rpc(*figures_, &FiguresStub::RateDepartment, rate, S2(), "other-chief", kSupervisor).ok());
  v1::CaseFigures figures = Total(tree_.code, department_);
  EXPECT_EQ(figures.street_ratings(), 2);
  EXPECT_DOUBLE_EQ(figures.mean_street_rating(), 3.5);
  EXPECT_EQ(Total(S1(), department_).street_ratings(), 1);

  rate.set_street_path(S1());
  auto outside = Rpc(*figures_, &FiguresStub::RateDepartment, rate, S2(), "other", kSupervisor);
  EXPECT_EQ(Reason(outside.status()), "OUT_OF_SCOPE");
  rate.set_month("2026-13");
  auto bad_month = Rpc(*figures_, &FiguresStub::RateDepartment, rate, "", "chief", kSupervisor);
  EXPECT_EQ(Reason(bad_month.status()), "MONTH_INVALID");
  rate.set_month(month);
  rate.set_score(6);
  auto bad_score = Rpc(*figures_, &FiguresStub::RateDepartment, rate, "", "chief", kSupervisor);
  EXPECT_EQ(Reason(bad_score.status()), "SCORE_OUT_OF_RANGE");
  auto viewer = Rpc(*figures_, &FiguresStub::RateDepartment, rate, "", "viewer", kViewer);
  EXPECT_EQ(viewer.status().code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace grassroots::grid::testing
