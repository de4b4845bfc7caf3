#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"

namespace grassroots::grid {

// An area of orgs' tree that moved: everything of grid's under the old
// path follows to the new one.
struct AreaMove {
  std::string old_path;
  std::string new_path;
};

// The only code that speaks SQL about how far grid has read orgs' feed.
class AreaMoveStore {
 public:
  AreaMoveStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // The last orgs feed position applied.
  absl::StatusOr<int64_t> Cursor();
  // Applies the moves orgs recorded after `from` up to `to`, in order, and
  // advances the cursor to `to`, all in one transaction. ABORTED
  // (CURSOR_MOVED) with nothing applied when the cursor is no longer `from`
  // (another replica applied them first).
  absl::Status Apply(const WriteContext& write, int64_t from, int64_t to,
                     const std::vector<AreaMove>& moves);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::grid
