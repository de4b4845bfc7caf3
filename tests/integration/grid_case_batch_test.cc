// Reports written together (CaseStore::ReportMany, which concurrent
// ReportCase calls share): each answered as if it were alone, on a real
// MariaDB.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "tests/integration/grid_case_fixture.h"

namespace grassroots::grid::testing {
namespace {

class GridCaseBatchTest : public GridCaseTest {
 protected:
  CaseReport Reported(double lat, double lon, const std::string& request_id,
                      const std::string& grid = "", const std::string& scope = "") {
    v1::ReportCaseRequest r = ReportAt(lat, lon, grid);
    return CaseReport{scope, WriteContext{"worker-17", request_id, absl::Now()}, r.case_()};
  }

  int CasesIn(const std::string& grid) {
    return QueryInt(pool(),
                    absl::StrCat("SELECT COUNT(*) FROM cases WHERE grid_id = '", grid, "'"));
  }

  int ChangesOf(const std::string& case_id) {
    return QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '",
                                         case_id, "'"));
  }
};

TEST_F(GridCaseBatchTest, ReportsFarApartBecomeOneCaseEachWithTimelineAndChange) {
  std::vector<CaseReport> batch;
  for (int i = 0; i < 12; ++i) {
    batch.push_back(Reported(30.1 + 0.01 * i, 120.1, absl::StrCat("far-", counter_, "-", i)));
  }
  auto results = Cases(*suite_).ReportMany(batch);
  ASSERT_EQ(results.size(), 12u);
  std::set<std::string> ids;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_FALSE(r->duplicate);
    EXPECT_EQ(r->report.state(), v1::Case::REPORTED);
    EXPECT_TRUE(r->report.has_step_due_time());
    ids.insert(r->report.id());
    EXPECT_EQ(Steps(r->report.id(), "Report"), 1);
    EXPECT_EQ(ChangesOf(r->report.id()), 1);
  }
  EXPECT_EQ(ids.size(), 12u);
  EXPECT_EQ(CasesIn(grid_), 12);
  // Read back, each is the case it was answered with.
  auto got = Rpc(*cases_, &Stub::GetCase,
                 [&] {
                   v1::GetCaseRequest g;
                   g.set_id(results[5]->report.id());
                   return g;
                 }(),
                 "", "viewer", {"grid.viewer"});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_DOUBLE_EQ(got->latitude(), 30.15);
  EXPECT_EQ(got->grid_path(), results[5]->report.grid_path());
}

TEST_F(GridCaseBatchTest, AReplayedBatchAnswersTheFirstCasesAndWritesNothing) {
  std::vector<CaseReport> batch;
  for (int i = 0; i < 6; ++i) {
    batch.push_back(Reported(31.1 + 0.01 * i, 121.1, absl::StrCat("replay-", counter_, "-", i)));
  }
  auto first = Cases(*suite_).ReportMany(batch);
  // The same requests again, one of them new: the replays answer the first
  // cases, the new one is written.
  batch.push_back(Reported(31.5, 121.1, absl::StrCat("replay-", counter_, "-new")));
  auto again = Cases(*suite_).ReportMany(batch);
  for (size_t i = 0; i < 6; ++i) {
    ASSERT_TRUE(first[i].ok()) << first[i].status();
    ASSERT_TRUE(again[i].ok()) << again[i].status();
    EXPECT_EQ(again[i]->report.id(), first[i]->report.id());
  }
  ASSERT_TRUE(again[6].ok()) << again[6].status();
  EXPECT_EQ(CasesIn(grid_), 7);
}

TEST_F(GridCaseBatchTest, ReportsAtOnePlaceBecomeOneCaseAndItsLinkedReports) {
  v1::Case open = Report(30.2741, 120.1551);
  std::vector<CaseReport> batch;
  // Two near the open case, three near each other far from it.
  batch.push_back(Reported(30.2742, 120.1552, absl::StrCat("near-", counter_, "-a")));
  batch.push_back(Reported(30.2741, 120.1553, absl::StrCat("near-", counter_, "-b")));
  for (int i = 0; i < 3; ++i) {
    batch.push_back(
        Reported(30.3000, 120.2000 + 0.0001 * i, absl::StrCat("near-", counter_, "-c", i)));
  }
  auto results = Cases(*suite_).ReportMany(batch);
  for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(results[0]->duplicate);
  EXPECT_EQ(results[0]->report.id(), open.id());
  EXPECT_TRUE(results[1]->duplicate);
  EXPECT_EQ(results[1]->report.id(), open.id());
  EXPECT_EQ(results[1]->report.duplicate_reports(), 2);
  // The first of the three opens a case; the other two join it.
  EXPECT_FALSE(results[2]->duplicate);
  EXPECT_TRUE(results[3]->duplicate);
  EXPECT_TRUE(results[4]->duplicate);
  EXPECT_EQ(results[3]->report.id(), results[2]->report.id());
  EXPECT_EQ(results[4]->report.id(), results[2]->report.id());
  EXPECT_EQ(results[4]->report.duplicate_reports(), 2);
  EXPECT_EQ(CasesIn(grid_), 2);
}

TEST_F(GridCaseBatchTest, EachRefusalIsItsOwnAndTheRestAreWritten) {
  std::vector<CaseReport> batch;
  batch.push_back(Reported(32.1, 122.1, absl::StrCat("mix-", counter_, "-ok1")));
  CaseReport unknown = Reported(32.2, 122.1, absl::StrCat("mix-", counter_, "-cat"));
  unknown.report.set_category_code("NO_SUCH_CATEGORY");
  batch.push_back(unknown);
  // c3's grid (street s2), reported by a caller scoped to street s1.
  batch.push_back(Reported(32.3, 122.1, absl::StrCat("mix-", counter_, "-scope"), other_grid_,
                           tree_.code + "/s1"));
  CaseReport unlocated = Reported(0, 0, absl::StrCat("mix-", counter_, "-where"));
  batch.push_back(unlocated);
  batch.push_back(Reported(32.5, 122.1, absl::StrCat("mix-", counter_, "-ok2")));
  auto results = Cases(*suite_).ReportMany(batch);
  ASSERT_TRUE(results[0].ok()) << results[0].status();
  EXPECT_EQ(Reason(results[1].status()), "CATEGORY_NOT_FOUND");
  EXPECT_EQ(Reason(results[2].status()), "OUT_OF_SCOPE");
  EXPECT_EQ(Reason(results[3].status()), "LOCATION_REQUIRED");
  ASSERT_TRUE(results[4].ok()) << results[4].status();
  EXPECT_EQ(CasesIn(grid_), 2);
  EXPECT_EQ(CasesIn(other_grid_), 0);
}

TEST_F(GridCaseBatchTest, ConcurrentCallsAndTheirRetriesWriteEachCaseOnce) {
  constexpr int kCallers = 24;
  auto call_all = [&](std::vector<std::string>& ids) {
    std::vector<std::thread> threads;
    std::atomic<int> failed{0};
    for (int i = 0; i < kCallers; ++i) {
      threads.emplace_back([&, i] {
        auto r = Rpc(
            *cases_, &Stub::ReportCase,
            [&] {
              auto request = ReportAt(33.0 + 0.01 * i, 123.0);
              request.set_request_id(absl::StrCat("burst-", counter_, "-", i));
              return request;
            }(),
            "", "worker-17", kReporter);
        if (!r.ok()) {
          ++failed;
          return;
        }
        ids[static_cast<size_t>(i)] = r->case_().id();
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failed.load(), 0);
  };
  std::vector<std::string> first(kCallers), again(kCallers);
  call_all(first);
  call_all(again);
  EXPECT_EQ(first, again);
  EXPECT_EQ(std::set<std::string>(first.begin(), first.end()).size(),
            static_cast<size_t>(kCallers));
  EXPECT_EQ(CasesIn(grid_), kCallers);
}

}  // namespace
}  // namespace grassroots::grid::testing
