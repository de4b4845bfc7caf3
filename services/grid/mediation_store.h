#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/grid/case_view_cache.h"

namespace grassroots::grid {

// The only code that speaks SQL about mediations (case_mediations). A
// record takes its case's row lock, checks the etag and that the case is
// open, and writes the mediation, the timeline line and the case's new
// version with its change row in one transaction.
class MediationStore {
 public:
  // The case's new view goes to `cache` (when given) as the record commits.
  MediationStore(db::ConnectionPool& pool, const ChangeLog& changes, CaseViewCache* cache = nullptr)
      : pool_(pool), changes_(changes), cache_(cache) {}

  // `mediation` is validated by the caller. Idempotent when
  // write.request_id is set: a replay answers the first record.
  absl::StatusOr<v1::Mediation> Record(const std::string& scope, const WriteContext& write,
                                       const std::string& case_id, const std::string& etag,
                                       const v1::Mediation& mediation);
  absl::StatusOr<std::vector<v1::Mediation>> List(const std::string& scope,
                                                  const std::string& case_id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  CaseViewCache* const cache_;
};

}  // namespace grassroots::grid
