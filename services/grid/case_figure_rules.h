#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "grassroots/grid/v1/case.pb.h"
#include "grassroots/grid/v1/case_figures.pb.h"

namespace grassroots::grid {

// What one case change adds to the live figures, and how the figures are
// derived from the sums. Pure rules, no I/O; case_figure_store.h keeps the
// sums, case_figure_aggregator.h feeds it from the change log.

// The numbers stored in case_figures.measure: never renumber.
enum class Measure : int {
  kReported = 1,
  kDuplicateReports = 2,
  kRegistered = 3,
  kRejected = 4,
  kDispatched = 5,
  kClosed = 6,
  kClosedOnTime = 7,
  kClosedDeferred = 8,
  kClosedReworked = 9,
  kClosedAtCommunity = 10,
  kClosedAtStreet = 11,
  kClosedAtDistrict = 12,
  kReworkEvents = 13,
  kEvaluated = 14,
  kSatisfactionSum = 15,
  kOpen = 20,     // a stock: now, not per day
  kOverdue = 21,  // a stock
  // 100 + state: seconds spent in the state (added at every step taken in
  // it); 200 + state: departures from the state.
  kSecondsInStateBase = 100,
  kDeparturesBase = 200,
};

bool IsStock(int measure);

// Whose figures a row is: every area above the case's grid (and the grid),
// each department under each of those areas, each grid worker who
// reported under each of those areas.
enum class FigureDimension : int { kArea = 1, kDepartment = 2, kWorker = 3 };

struct FigureDelta {
  FigureDimension dimension = FigureDimension::kArea;
  std::string subject;    // department id or reporter_ref; empty for kArea
  std::string grid_path;  // the base: its rows and every ancestor's
  int measure = 0;
  int64_t value = 0;
  // The UTC day the event counts on; nullopt for stocks.
  std::optional<absl::CivilDay> day;
};

// What the change of a case from `before` (nullptr: reported now) to
// `after`, committed at `time`, adds to the figures.
std::vector<FigureDelta> CaseFigureDeltas(const v1::Case* before, const v1::Case& after,
                                          absl::Time time);

// The grid path and each area above it up to the whole city (""), with
// each one's level: 0 the grid, 1 its community, 2 its street, ...
struct AreaLevel {
  std::string path;
  std::string parent;  // "" for the top-level areas; the city has none
  int level = 0;
};
std::vector<AreaLevel> AreaLevelsOf(absl::string_view grid_path);

// The sums a batch of deltas adds, one per stored row: each delta counts
// for its grid and every area above it (from `from_level` up).
struct FigureRowKey {
  int dimension = 0;
  std::string area;
  std::string subject;
  std::string day;  // "YYYY-MM-DD", or kStockDay
  int measure = 0;
  auto operator<=>(const FigureRowKey&) const = default;
};
struct FigureRowValue {
  std::string parent;
  int level = 0;
  int64_t value = 0;
};
using FigureRows = std::map<FigureRowKey, FigureRowValue>;

// The day the stocks are kept under.
inline constexpr char kStockDay[] = "1000-01-01";

void AddToRows(const FigureDelta& delta, int64_t sign, int from_level, FigureRows& rows);

// The streets' level in AreaLevel terms (grid → community → street).
inline constexpr int kStreetLevel = 2;

// The summed measures of one row of figures.
using MeasureSums = std::map<int, int64_t>;

struct DepartmentRatings {
  double score_sum = 0;
  int64_t count = 0;
};

// The figures with their rates. `ratings` only for departments.
v1::CaseFigures DeriveCaseFigures(const std::string& key, const MeasureSums& sums,
                                  const std::optional<DepartmentRatings>& ratings);

// 100 × (0.4 on-time rate + 0.3 (1 − rework rate) + 0.3 satisfaction ÷ 5);
// the satisfaction share counts as full when nothing was evaluated.
double DepartmentScore(const v1::CaseFigures& figures);

}  // namespace grassroots::grid
