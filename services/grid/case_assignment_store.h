#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/case_assignment.pb.h"

namespace grassroots::grid {

// The only code that speaks SQL about which worker a case is assigned to,
// under careers' training rule as grid last learnt it (worker_qualifications).
class CaseAssignmentStore {
 public:
  CaseAssignmentStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // FAILED_PRECONDITION (WORKER_NOT_QUALIFIED_ALONE) unless the worker is
  // qualified to work alone; the case must lie in the scope.
  absl::StatusOr<v1::CaseAssignment> Assign(const std::string& scope, const WriteContext& write,
                                            const std::string& case_id,
                                            const std::string& worker_id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::grid
