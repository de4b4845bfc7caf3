#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/visit.pb.h"
#include "services/grid/visit_report_rules.h"

namespace grassroots::grid {

struct VisitFilter {
  std::string grid_id;
  std::string household_id;
  std::string key_person_id;
  std::string worker_ref;
  std::optional<DayPeriod> period;
};

struct VisitPage {
  std::vector<v1::Visit> visits;
  std::string last_key;  // empty when this was the last page
};

// The only code that speaks SQL about logged visits. A visit, its
// subject's last-visit row and the worker's day counts are written in one
// transaction, so the overdue report and the counts never disagree with
// the visits. Scope is a condition on the grid path.
class VisitStore {
 public:
  VisitStore(db::ConnectionPool& pool, const ChangeLog& changes) : pool_(pool), changes_(changes) {}

  // The household or key person must be in the scope and the worker on
  // its grid's staff on the visit's day. Idempotent when write.request_id is set.
  absl::StatusOr<v1::Visit> Log(const std::string& scope, const WriteContext& write,
                                const v1::Visit& requested);
  absl::StatusOr<v1::Visit> Get(const std::string& scope, const std::string& id);
  // Newest first, after `after_key` (a previous page's last_key).
  absl::StatusOr<VisitPage> List(const std::string& scope, const VisitFilter& filter, int page_size,
                                 const std::string& after_key);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::grid
