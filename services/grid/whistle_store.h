#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/grid/case_view_cache.h"

namespace grassroots::grid {

// The only code that speaks SQL about whistles. Blowing one and reporting
// in each write a line in the case's timeline, under the case row's lock.
class WhistleStore {
 public:
  // The case's new view goes to `cache` (when given) as each write commits.
  WhistleStore(db::ConnectionPool& pool, const ChangeLog& changes, CaseViewCache* cache = nullptr)
      : pool_(pool), changes_(changes), cache_(cache) {}

  // FAILED_PRECONDITION (CASE_NOT_OPEN) on a closed or rejected case;
  // INVALID_ARGUMENT (DEPARTMENT_NOT_FOUND) naming an unknown department.
  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::Whistle> Blow(const std::string& scope, const WriteContext& write,
                                   const v1::BlowWhistleRequest& request, int minutes);
  // Once per department: a second report-in answers the whistle unchanged.
  absl::StatusOr<v1::Whistle> ReportIn(const std::string& scope, const WriteContext& write,
                                       const v1::ReportInRequest& request);
  absl::StatusOr<std::vector<v1::Whistle>> List(const std::string& scope,
                                                const std::string& case_id);
  // The sweeper: flags calls whose deadline passed without a report, up to
  // `limit`, each once however many replicas sweep. The number flagged.
  absl::StatusOr<int> FlagLateCalls(const WriteContext& write, int limit);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  CaseViewCache* const cache_;
};

}  // namespace grassroots::grid
