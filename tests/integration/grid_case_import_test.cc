// ImportCases against a real MariaDB: cases moved over from an earlier
// system arrive in the states it left them in, found by their tickets,
// with one timeline line each, counted in the figures from their own
// dates, and go on through the workflow; a bad line refuses the file and
// is named; a retry answers the first result.
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/integration/grid_case_fixture.h"

namespace grassroots::grid::testing {
namespace {

using FiguresStub = v1::CaseFiguresService::Stub;

const std::vector<std::string> kViewer = {"grid.viewer"};

class GridCaseImportTest : public GridCaseTest {
 protected:
  void SetUp() override {
    GridCaseTest::SetUp();
    v1::GetGridRequest get;
    get.set_id(grid_);
    grid_path_ = Rpc(*grids_, &v1::GridService::Stub::GetGrid, get)->path();
    get.set_id(other_grid_);
    other_grid_path_ = Rpc(*grids_, &v1::GridService::Stub::GetGrid, get)->path();
    department_code_ = absl::StrCat("SANITATION_", counter_);
    system_ = absl::StrCat("legacy", counter_);
  }

  static std::string Header() {
    return "external_system,external_ticket_id,grid_path,kind,source,category_code,latitude,"
           "longitude,address,description,reporter_ref,state,level,department_code,rework_count,"
           "resolution,satisfaction,create_time,close_time\n";
  }

  // One CSV line of a case reported `created` ago (and closed `closed`
  // ago when that is not zero); `tail` is the cells from state to
  // satisfaction.
  std::string Line(const std::string& ticket, const std::string& tail,
                   absl::Duration closed = absl::ZeroDuration(), const std::string& grid = "",
                   const std::string& category = "") const {
    const absl::Time now = absl::Now();
    auto rfc3339 = [](absl::Time t) {
      return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone());
    };
    return absl::StrCat(
        system_, ",", ticket, ",", grid.empty() ? grid_path_ : grid, ",INCIDENT,RESIDENT,",
        category.empty() ? category_ : category,
        ",30.2741,120.1551,\"12 Wulin Road, by the stop\",bags of rubbish,worker-17,", tail, ",",
        rfc3339(now - absl::Minutes(5)), ",",
        closed == absl::ZeroDuration() ? "" : rfc3339(now - closed), "\n");
  }

  int64_t CasesInGrid(const std::string& grid) {
    return QueryInt(pool(),
                    absl::StrCat("SELECT COUNT(*) FROM cases WHERE grid_id = '", grid, "'"));
  }

  absl::StatusOr<v1::Case> ByTicket(const std::string& ticket) {
    v1::GetCaseByTicketRequest get;
    get.mutable_ticket()->set_system(system_);
    get.mutable_ticket()->set_ticket_id(ticket);
    return Rpc(*external_cases_, &v1::ExternalCaseService::Stub::GetCaseByTicket, get, "",
               "hotline", kReporter);
  }

  v1::CaseFigures Total() {
    auto counted = CountFigures(*suite_);
    EXPECT_TRUE(counted.ok()) << counted.status();
    v1::GetCaseFiguresRequest r;
    r.set_area_path(tree_.code);
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
    r.mutable_period()->set_start_date(absl::FormatCivilTime(today - 1));
    r.mutable_period()->set_end_date(absl::FormatCivilTime(today + 2));
    auto f = Rpc(*figures_, &FiguresStub::GetCaseFigures, r, "", "viewer", kViewer);
    EXPECT_TRUE(f.ok()) << f.status();
    return f.ok() && f->figures_size() == 1 ? f->figures(0) : v1::CaseFigures();
  }

  std::string grid_path_, other_grid_path_, department_code_, system_;
};

TEST_F(GridCaseImportTest, CasesArriveInTheirStatesAndCountFromTheirOwnDates) {
  const std::string d = department_code_;
  const std::string file =
      Header() + Line("T-1", "REPORTED,,,0,,0") + Line("T-2", "REGISTERED,,,0,,0") +
      Line("T-3", "REJECTED,,,0,,0", absl::Minutes(4)) +
      Line("T-4", absl::StrCat("HANDLING,STREET,", d, ",0,,0")) +
      Line("T-5", absl::StrCat("EVALUATED,,", d, ",0,FIXED,4"), absl::Minutes(2)) +
      Line("T-6", absl::StrCat("CLOSED,,", d, ",1,,0"), absl::Minutes(3));
  auto imported = ImportCases(file, common::v1::CSV, "", "move-2026-12");
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->created_count(), 6);
  EXPECT_EQ(CasesInGrid(grid_), 6);

  // Found by its ticket, as the earlier system left it.
  auto handling = ByTicket("T-4");
  ASSERT_TRUE(handling.ok()) << handling.status();
  EXPECT_EQ(handling->state(), v1::Case::HANDLING);
  EXPECT_EQ(handling->level(), v1::Case::STREET);
  EXPECT_EQ(handling->department_id(), department_);
  EXPECT_EQ(handling->address(), "12 Wulin Road, by the stop");
  EXPECT_LT(FromProtoTime(handling->create_time()), absl::Now() - absl::Minutes(4));
  auto evaluated = ByTicket("T-5");
  ASSERT_TRUE(evaluated.ok()) << evaluated.status();
  EXPECT_EQ(evaluated->satisfaction(), 4);
  EXPECT_EQ(evaluated->resolution(), v1::Case::FIXED);

  // One timeline line, naming the ticket and who imported it.
  v1::ListCaseStepsRequest steps;
  steps.set_case_id(handling->id());
  auto timeline = Rpc(*cases_, &Stub::ListCaseSteps, steps, "", "viewer", kViewer);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  ASSERT_EQ(timeline->steps_size(), 1);
  EXPECT_EQ(timeline->steps(0).action(), "Import");
  EXPECT_EQ(timeline->steps(0).from_state(), v1::Case::STATE_UNSPECIFIED);
  EXPECT_EQ(timeline->steps(0).to_state(), v1::Case::HANDLING);
  EXPECT_EQ(timeline->steps(0).actor(), "migration");
  EXPECT_EQ(timeline->steps(0).detail(),
            absl::StrCat("external_system=", system_, " ticket_id=T-4"));

  // The history counts once, and the stock is what is open now.
  v1::CaseFigures f = Total();
  EXPECT_EQ(f.reported(), 6);
  EXPECT_EQ(f.registered(), 4);
  EXPECT_EQ(f.rejected(), 1);
  EXPECT_EQ(f.dispatched(), 3);
  EXPECT_EQ(f.closed(), 2);
  EXPECT_EQ(f.evaluated(), 1);
  EXPECT_EQ(f.rework_events(), 1);
  EXPECT_EQ(f.open(), 3);
  EXPECT_DOUBLE_EQ(f.mean_satisfaction(), 4.0);

  // The case goes on from where it stood.
  v1::Case handled = Take(&Stub::ReportCaseHandled, StepOn(*handling, "cleared"), kHandler);
  EXPECT_EQ(handled.state(), v1::Case::HANDLED);
  EXPECT_EQ(Steps(handling->id(), "Import"), 1);

  // A retry answers the first result and adds nothing; the same tickets
  // under another request are refused, naming the first line.
  auto again = ImportCases(file, common::v1::CSV, "", "move-2026-12");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->created_count(), 6);
  EXPECT_EQ(CasesInGrid(grid_), 6);
  auto twice = ImportCases(file, common::v1::CSV, "", "move-2026-12-bis");
  EXPECT_EQ(Reason(twice.status()), "TICKET_ALREADY_IMPORTED");
  EXPECT_NE(twice.status().message().find("line 2"), std::string::npos) << twice.status();
  EXPECT_EQ(CasesInGrid(grid_), 6);
  EXPECT_EQ(Total().reported(), 6);
}

// Two migrations of the same file at once, under different request ids:
// one imports it, the other is told the tickets are taken; no case twice.
TEST_F(GridCaseImportTest, TwoImportsOfTheSameTicketsAtOnceImportThemOnce) {
  std::string file = Header();
  for (int i = 0; i < 300; ++i) file += Line(absl::StrCat("C-", i), "REPORTED,,,0,,0");
  absl::StatusOr<common::v1::ImportResult> results[2];
  std::thread first([&] { results[0] = ImportCases(file, common::v1::CSV, "", "race-a"); });
  std::thread second([&] { results[1] = ImportCases(file, common::v1::CSV, "", "race-b"); });
  first.join();
  second.join();
  const int succeeded = (results[0].ok() ? 1 : 0) + (results[1].ok() ? 1 : 0);
  ASSERT_EQ(succeeded, 1) << results[0].status() << " / " << results[1].status();
  const auto& refused = results[0].ok() ? results[1] : results[0];
  EXPECT_EQ(Reason(refused.status()), "TICKET_ALREADY_IMPORTED") << refused.status();
  EXPECT_EQ(CasesInGrid(grid_), 300);
}

TEST_F(GridCaseImportTest, ABadLineRefusesTheWholeFileAndIsNamed) {
  const std::string d = department_code_;
  const std::string good = Line("B-1", "REPORTED,,,0,,0") + Line("B-2", "REGISTERED,,,0,,0");
  auto expect_refused = [&](const std::string& file, const std::string& reason,
                            const std::string& where, const std::string& scope = "") {
    auto refused = ImportCases(Header() + file, common::v1::CSV, scope);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
    EXPECT_EQ(Reason(refused.status()), reason) << refused.status();
    EXPECT_NE(refused.status().message().find(where), std::string::npos) << refused.status();
    EXPECT_EQ(CasesInGrid(grid_), 0);
    EXPECT_EQ(CasesInGrid(other_grid_), 0);
  };
  // Checked line by line before anything is stored.
  expect_refused(good + Line("B-3", absl::StrCat("CLOSED,,", d, ",0,,0")), "CLOSE_TIME_REQUIRED",
                 "line 4");
  expect_refused(good + Line("B-3", "REPORTED,LOUD,,0,,0"), "ENUM_INVALID", "line 4: level");
  // Found while storing: every line before it is rolled back.
  expect_refused(good + Line("B-1", "REPORTED,,,0,,0"), "TICKET_REPEATED", "also on line 2");
  expect_refused(good + Line("B-3", "HANDLING,,NO_SUCH_BUREAU,0,,0"), "DEPARTMENT_NOT_FOUND",
                 "line 4");
  expect_refused(good + Line("B-3", "REPORTED,,,0,,0", absl::ZeroDuration(), "", "NO_SUCH_KIND"),
                 "CATEGORY_NOT_FOUND", "line 4");
  // A street officer of s1 cannot put cases into street s2's grid.
  expect_refused(good + Line("B-3", "REPORTED,,,0,,0", absl::ZeroDuration(), other_grid_path_),
                 "GRID_NOT_FOUND", "line 4", absl::StrCat(tree_.code, "/s1"));
  EXPECT_EQ(
      QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE path LIKE '", tree_.code,
                                    "/%' AND resource_type = "
                                    "'grassroots.grid.v1.Case'")),
      0);

  // JSON lines, with the place in the caller's scope.
  const std::string json = absl::StrCat(
      R"({"externalSystem":")", system_, R"(","externalTicketId":"J-1","gridPath":")", grid_path_,
      R"(","kind":"INCIDENT","source":"OTHER_SYSTEM","categoryCode":")", category_,
      R"(","description":"streetlight out","state":"DISPATCHED","departmentCode":")", d,
      R"(","createTime":"2026-01-05T08:00:00Z"})", "\n");
  auto imported = ImportCases(json, common::v1::JSON_LINES, absl::StrCat(tree_.code, "/s1"));
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->created_count(), 1);
  auto dispatched = ByTicket("J-1");
  ASSERT_TRUE(dispatched.ok()) << dispatched.status();
  EXPECT_EQ(dispatched->state(), v1::Case::DISPATCHED);
  EXPECT_EQ(dispatched->create_time().seconds(), 1767600000);
}

}  // namespace
}  // namespace grassroots::grid::testing
