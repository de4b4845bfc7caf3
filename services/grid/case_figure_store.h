#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/case_figures.pb.h"
#include "services/grid/case_figure_rules.h"
#include "services/grid/visit_report_rules.h"

namespace grassroots::grid {

struct FigureQuery {
  FigureDimension dimension = FigureDimension::kArea;
  std::string area;     // a path within the caller's scope ("" the city)
  std::string subject;  // the department or worker asked about; empty: all of them
  DayPeriod period;
  v1::GetCaseFiguresRequest::GroupBy group_by = v1::GetCaseFiguresRequest::GROUP_BY_UNSPECIFIED;
};

// One street's figures now, for the Prometheus gauges.
struct StreetFigures {
  std::string street_path;
  MeasureSums today;  // today's events and the stocks
};

// The only code that speaks SQL about the live figures (case_figures,
// case_figure_areas, case_figures_cursor, department_ratings). Reads add up
// the rows of one area (or of each of its children) over the period's
// days, in primary-key order: never the cases, so a query costs what its
// areas and days hold, not what the cases table holds.
class CaseFigureStore {
 public:
  explicit CaseFigureStore(db::ConnectionPool& pool) : pool_(pool) {}

  // Adds the sums (the aggregator, inside its transaction).
  static void Add(db::Connection& c, const FigureRows& rows);
  // A grid moved in the tree: its own rows follow it and its sums move
  // from the areas above the old path to those above the new one.
  static void MoveGrid(db::Connection& c, const std::string& old_path, const std::string& new_path);
  // The aggregator's position in the change log, locked for update.
  static int64_t LockCursor(db::Connection& c);
  static void SaveCursor(db::Connection& c, int64_t last_sequence);

  // Rows in key order (one, key empty, without grouping). Department rows
  // carry the streets' ratings of the months the period touches.
  absl::StatusOr<std::vector<v1::CaseFigures>> Query(const FigureQuery& query);

  // Every street's figures of `today` and its stocks.
  absl::StatusOr<std::vector<StreetFigures>> Streets(absl::CivilDay today);
  // Changes in the log not yet counted.
  absl::StatusOr<int64_t> PendingChanges();

  absl::StatusOr<v1::DepartmentRating> Rate(const WriteContext& write,
                                            const v1::DepartmentRating& rating);

 private:
  db::ConnectionPool& pool_;
};

}  // namespace grassroots::grid
