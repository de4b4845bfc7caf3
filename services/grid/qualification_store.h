#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/careers/v1/training.pb.h"
#include "grassroots/grid/v1/case_assignment.pb.h"

namespace grassroots::grid {

// The only code that speaks SQL about what grid learnt from careers'
// qualification feed (worker_qualifications) and how far it has read it.
class QualificationStore {
 public:
  explicit QualificationStore(db::ConnectionPool& pool) : pool_(pool) {}

  // The last careers feed position applied.
  absl::StatusOr<int64_t> Cursor();
  // Applies the changes read after `from` up to `to` (the latest per worker
  // wins) and advances the cursor to `to`, in one transaction. ABORTED
  // (CURSOR_MOVED) with nothing applied when another replica went first.
  absl::Status Apply(const WriteContext& write, int64_t from, int64_t to,
                     const std::vector<careers::v1::QualificationChange>& changes);
  // What grid knows of the worker (known = false when the feed never named them).
  absl::StatusOr<v1::WorkerQualification> Find(const std::string& worker_id);

 private:
  db::ConnectionPool& pool_;
};

}  // namespace grassroots::grid
