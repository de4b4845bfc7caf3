#include "services/grid/case_figure_rules.h"

#include <gtest/gtest.h>

#include "common/time/proto_time.h"
#include "services/grid/figure_case_filter.h"

namespace grassroots::grid {
namespace {

const absl::Time kNoon =
    absl::FromCivil(absl::CivilSecond(2026, 12, 2, 12, 0, 0), absl::UTCTimeZone());

v1::Case Open(v1::Case::State state) {
  v1::Case c;
  c.set_id("cs_1");
  c.set_grid_path("d/s/c/g");
  c.set_source(v1::Case::GRID_WORKER);
  c.set_reporter_ref("worker-1");
  c.set_state(state);
  c.set_level(v1::Case::COMMUNITY);
  ToProtoTime(kNoon - absl::Minutes(10), c.mutable_update_time());
  return c;
}

// The sum of `measure` in `deltas` for one dimension (and flows or stocks).
int64_t SumOf(const std::vector<FigureDelta>& deltas, FigureDimension dimension, Measure measure) {
  int64_t sum = 0;
  for (const FigureDelta& d : deltas) {
    if (d.dimension == dimension && d.measure == static_cast<int>(measure)) sum += d.value;
  }
  return sum;
}

TEST(CaseFigureRulesTest, AReportCountsForTheAreaAndItsCollectorAndOpensACase) {
  v1::Case c = Open(v1::Case::REPORTED);
  auto deltas = CaseFigureDeltas(nullptr, c, kNoon);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kReported), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kWorker, Measure::kReported), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kOpen), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kOverdue), 0);
  for (const FigureDelta& d : deltas) {
    if (IsStock(d.measure)) {
      EXPECT_FALSE(d.day.has_value());
    } else {
      EXPECT_EQ(d.day, absl::CivilDay(2026, 12, 2));
    }
  }
  // A resident's report has no collector.
  c.set_source(v1::Case::RESIDENT);
  EXPECT_EQ(
      SumOf(CaseFigureDeltas(nullptr, c, kNoon), FigureDimension::kWorker, Measure::kReported), 0);
}

TEST(CaseFigureRulesTest, RegisteringIsCountedOnlyFromReportedAndTimesTheStateLeft) {
  v1::Case before = Open(v1::Case::REPORTED);
  v1::Case after = before;
  after.set_state(v1::Case::REGISTERED);
  auto deltas = CaseFigureDeltas(&before, after, kNoon);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kRegistered), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kWorker, Measure::kRegistered), 1);
  const auto seconds =
      static_cast<Measure>(static_cast<int>(Measure::kSecondsInStateBase) + v1::Case::REPORTED);
  const auto departures =
      static_cast<Measure>(static_cast<int>(Measure::kDeparturesBase) + v1::Case::REPORTED);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, seconds), 600);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, departures), 1);
  // Still open: the stocks cancel out.
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kOpen), 0);
  // A department declining sends the case back to REGISTERED: not a registration.
  before.set_state(v1::Case::DISPATCHED);
  before.set_department_id("dp_1");
  EXPECT_EQ(
      SumOf(CaseFigureDeltas(&before, after, kNoon), FigureDimension::kArea, Measure::kRegistered),
      0);
}

TEST(CaseFigureRulesTest, AClosureCountsItsKindForTheAreaAndTheDepartment) {
  v1::Case before = Open(v1::Case::VERIFIED);
  before.set_department_id("dp_1");
  before.set_rework_count(1);
  v1::Case after = before;
  after.set_state(v1::Case::CLOSED);
  auto deltas = CaseFigureDeltas(&before, after, kNoon);
  for (auto dimension : {FigureDimension::kArea, FigureDimension::kDepartment}) {
    EXPECT_EQ(SumOf(deltas, dimension, Measure::kClosed), 1);
    EXPECT_EQ(SumOf(deltas, dimension, Measure::kClosedOnTime), 1);
    EXPECT_EQ(SumOf(deltas, dimension, Measure::kClosedReworked), 1);
    EXPECT_EQ(SumOf(deltas, dimension, Measure::kClosedAtCommunity), 1);
    EXPECT_EQ(SumOf(deltas, dimension, Measure::kOpen), -1);
  }
  // The grid worker who collected it: closed on time (careers' assessment reads it).
  EXPECT_EQ(SumOf(deltas, FigureDimension::kWorker, Measure::kClosed), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kWorker, Measure::kClosedOnTime), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kWorker, Measure::kClosedReworked), 0);
  // Escalated to the street: closed there, not on time.
  before.set_level(v1::Case::STREET);
  after.set_level(v1::Case::STREET);
  deltas = CaseFigureDeltas(&before, after, kNoon);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kClosedOnTime), 0);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kClosedAtStreet), 1);
  // With an approved extension: deferred, neither on time nor late.
  after.set_level(v1::Case::COMMUNITY);
  after.set_extension_count(1);
  deltas = CaseFigureDeltas(&before, after, kNoon);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kClosedDeferred), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kClosedOnTime), 0);
}

TEST(CaseFigureRulesTest, EvaluationsCountOnceWhetherFixedOrNot) {
  v1::Case before = Open(v1::Case::CLOSED);
  before.set_department_id("dp_1");
  v1::Case fixed = before;
  fixed.set_state(v1::Case::EVALUATED);
  fixed.set_satisfaction(5);
  auto deltas = CaseFigureDeltas(&before, fixed, kNoon);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kEvaluated), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kDepartment, Measure::kSatisfactionSum), 5);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kWorker, Measure::kSatisfactionSum), 5);
  v1::Case not_fixed = before;
  not_fixed.set_state(v1::Case::HANDLING);
  not_fixed.set_rework_count(1);
  not_fixed.set_satisfaction(1);
  deltas = CaseFigureDeltas(&before, not_fixed, kNoon);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kEvaluated), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kReworkEvents), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kOpen), 1);  // reopened
}

TEST(CaseFigureRulesTest, OverdueMovesWithTheCaseAndItsDepartment) {
  v1::Case before = Open(v1::Case::DISPATCHED);
  before.set_department_id("dp_1");
  v1::Case after = before;
  after.set_overdue(true);
  after.set_level(v1::Case::STREET);
  auto deltas = CaseFigureDeltas(&before, after, kNoon);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kOverdue), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kDepartment, Measure::kOverdue), 1);
  // Declined while overdue: the department's share goes, the area keeps it.
  v1::Case declined = after;
  declined.set_state(v1::Case::REGISTERED);
  declined.clear_department_id();
  deltas = CaseFigureDeltas(&after, declined, kNoon);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kDepartment, Measure::kOverdue), -1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kDepartment, Measure::kOpen), -1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kOpen), 0);
}

TEST(CaseFigureRulesTest, EveryAreaAboveTheGridGetsTheRow) {
  auto levels = AreaLevelsOf("d/s/c/g");
  ASSERT_EQ(levels.size(), 5u);
  EXPECT_EQ(levels[0].path, "d/s/c/g");
  EXPECT_EQ(levels[0].parent, "d/s/c");
  EXPECT_EQ(levels[2].path, "d/s");
  EXPECT_EQ(levels[2].level, kStreetLevel);
  EXPECT_EQ(levels[4].path, "");
  FigureRows rows;
  FigureDelta d{FigureDimension::kArea,     "", "d/s/c/g", static_cast<int>(Measure::kReported), 1,
                absl::CivilDay(2026, 12, 2)};
  AddToRows(d, +1, 0, rows);
  AddToRows(d, +1, 0, rows);
  AddToRows(d, -1, 2, rows);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows.at({1, "d/s/c/g", "", "2026-12-02", 1}).value, 2);
  EXPECT_EQ(rows.at({1, "d/s", "", "2026-12-02", 1}).value, 1);
  EXPECT_EQ(rows.at({1, "", "", "2026-12-02", 1}).parent, "");
}

TEST(CaseFigureRulesTest, RatesAndTheDepartmentScore) {
  MeasureSums sums{{static_cast<int>(Measure::kRegistered), 8},
                   {static_cast<int>(Measure::kRejected), 2},
                   {static_cast<int>(Measure::kClosed), 5},
                   {static_cast<int>(Measure::kClosedOnTime), 3},
                   {static_cast<int>(Measure::kClosedDeferred), 1},
                   {static_cast<int>(Measure::kClosedReworked), 1},
                   {static_cast<int>(Measure::kEvaluated), 2},
                   {static_cast<int>(Measure::kSatisfactionSum), 9}};
  auto f = DeriveCaseFigures("dp_1", sums, DepartmentRatings{7, 2});
  EXPECT_DOUBLE_EQ(f.closure_rate(), 5.0 / 8);
  EXPECT_DOUBLE_EQ(f.on_time_closure_rate(), 3.0 / 4);  // 3 ÷ (5 − 1)
  EXPECT_DOUBLE_EQ(f.rework_rate(), 1.0 / 5);
  EXPECT_DOUBLE_EQ(f.extension_rate(), 1.0 / 5);
  EXPECT_DOUBLE_EQ(f.valid_report_rate(), 8.0 / 10);
  EXPECT_DOUBLE_EQ(f.mean_satisfaction(), 4.5);
  EXPECT_DOUBLE_EQ(f.department_score(), 100 * (0.4 * 0.75 + 0.3 * 0.8 + 0.3 * 0.9));
  EXPECT_DOUBLE_EQ(f.mean_street_rating(), 3.5);
  // Nothing to divide by: zeros, and no satisfaction counts as full marks.
  auto empty = DeriveCaseFigures("", {}, DepartmentRatings{});
  EXPECT_EQ(empty.closure_rate(), 0);
  EXPECT_DOUBLE_EQ(empty.department_score(), 100 * (0.3 + 0.3));
}

TEST(FigureCaseFilterTest, EachFigureListsWhatItCounted) {
  const DayPeriod period{absl::CivilDay(2026, 12, 1), absl::CivilDay(2026, 12, 3)};
  CaseQuery q;
  ASSERT_TRUE(ApplyFigureFilter(v1::ListFigureCasesRequest::CLOSED_ON_TIME, period, q).ok());
  EXPECT_TRUE(q.closed_in.has_value());
  EXPECT_FALSE(q.created_in.has_value());
  EXPECT_NE(std::string(q.condition).find("extension_count = 0"), std::string::npos);
  CaseQuery reported;
  ASSERT_TRUE(ApplyFigureFilter(v1::ListFigureCasesRequest::REPORTED, period, reported).ok());
  EXPECT_EQ(reported.created_in->first, period.StartTime());
  CaseQuery overdue;
  ASSERT_TRUE(ApplyFigureFilter(v1::ListFigureCasesRequest::OVERDUE, std::nullopt, overdue).ok());
  EXPECT_TRUE(overdue.overdue_only);
  CaseQuery none;
  EXPECT_EQ(ApplyFigureFilter(v1::ListFigureCasesRequest::CLOSED, std::nullopt, none).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyFigureFilter(v1::ListFigureCasesRequest::FIGURE_UNSPECIFIED, period, none).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace grassroots::grid

namespace grassroots::grid {
namespace {

// A case moved from an earlier system counts its history once: reported,
// registered, dispatched and rework on its own create day, its closure and
// evaluation on its close day, and the stock it is in now.
TEST(CaseFigureRulesTest, AnImportedCaseCountsItsHistoryOnItsOwnDays) {
  v1::Case c = Open(v1::Case::EVALUATED);
  c.set_department_id("dp_1");
  c.set_rework_count(2);
  c.set_satisfaction(4);
  ToProtoTime(kNoon - absl::Hours(72), c.mutable_create_time());
  ToProtoTime(kNoon - absl::Hours(24), c.mutable_close_time());
  auto deltas = CaseFigureDeltas(nullptr, c, kNoon);
  const absl::CivilDay created = absl::ToCivilDay(kNoon - absl::Hours(72), absl::UTCTimeZone());
  const absl::CivilDay closed = absl::ToCivilDay(kNoon - absl::Hours(24), absl::UTCTimeZone());
  auto on = [&](absl::CivilDay day, Measure measure) {
    int64_t sum = 0;
    for (const FigureDelta& d : deltas) {
      if (d.dimension == FigureDimension::kArea && d.measure == static_cast<int>(measure) &&
          d.day == day) {
        sum += d.value;
      }
    }
    return sum;
  };
  EXPECT_EQ(on(created, Measure::kReported), 1);
  EXPECT_EQ(on(created, Measure::kRegistered), 1);
  EXPECT_EQ(on(created, Measure::kDispatched), 1);
  EXPECT_EQ(on(created, Measure::kReworkEvents), 2);
  EXPECT_EQ(on(closed, Measure::kClosed), 1);
  EXPECT_EQ(on(closed, Measure::kEvaluated), 1);
  EXPECT_EQ(on(closed, Measure::kSatisfactionSum), 4);
  EXPECT_EQ(on(created, Measure::kClosed), 0);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kDepartment, Measure::kDispatched), 1);
  EXPECT_EQ(SumOf(deltas, FigureDimension::kArea, Measure::kOpen), 0);

  // A rejected one was never registered; an open one is open.
  v1::Case rejected = Open(v1::Case::REJECTED);
  ToProtoTime(kNoon - absl::Hours(5), rejected.mutable_create_time());
  ToProtoTime(kNoon - absl::Hours(4), rejected.mutable_close_time());
  auto r = CaseFigureDeltas(nullptr, rejected, kNoon);
  EXPECT_EQ(SumOf(r, FigureDimension::kArea, Measure::kRegistered), 0);
  EXPECT_EQ(SumOf(r, FigureDimension::kArea, Measure::kRejected), 1);
  v1::Case handling = Open(v1::Case::HANDLING);
  handling.set_department_id("dp_1");
  ToProtoTime(kNoon - absl::Hours(5), handling.mutable_create_time());
  auto h = CaseFigureDeltas(nullptr, handling, kNoon);
  EXPECT_EQ(SumOf(h, FigureDimension::kArea, Measure::kOpen), 1);
  EXPECT_EQ(SumOf(h, FigureDimension::kArea, Measure::kDispatched), 1);
  EXPECT_EQ(SumOf(h, FigureDimension::kArea, Measure::kClosed), 0);
}

}  // namespace
}  // namespace grassroots::grid
