#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/visit.pb.h"
#include "services/grid/visit_report_rules.h"

namespace grassroots::grid {

// Where a report looks: one grid (in the scope) or everything under a path.
struct ReportWhere {
  std::string scope;    // the caller's
  std::string grid_id;  // empty: every grid under `under`
  std::string under;    // a path within the scope (the scope itself by default)
};

struct OverduePage {
  std::vector<v1::OverdueVisit> overdue;
  std::string last_key;  // empty when this was the last page
};

struct WorkerCountPage {
  std::vector<v1::WorkerVisitCount> counts;
  std::string last_key;  // empty when this was the last page
};

// The only code that speaks SQL about the visit reports. Both read what
// VisitStore keeps with every visit (last_visits, visit_worker_days), never
// the visits themselves: the overdue report reads the key records of the
// grid or area with their last-visit row, the counts add up day rows.
class VisitReportStore {
 public:
  explicit VisitReportStore(db::ConnectionPool& pool) : pool_(pool) {}

  // Key households and key persons whose next door visit was due before
  // `as_of`, most overdue first (by due day, then id), after `after_key`.
  absl::StatusOr<OverduePage> Overdue(const ReportWhere& where, absl::CivilDay as_of, int page_size,
                                      const std::string& after_key);
  // Per worker in worker_ref order, after `after_key` (a worker_ref).
  absl::StatusOr<WorkerCountPage> CountByWorker(const ReportWhere& where, const DayPeriod& period,
                                                int page_size, const std::string& after_key);

 private:
  db::ConnectionPool& pool_;
};

}  // namespace grassroots::grid
