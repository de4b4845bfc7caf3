#include "services/grid/area_move_store.h"

#include "common/db/db_time.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "services/grid/grid_path_followers.h"

namespace grassroots::grid {

absl::StatusOr<int64_t> AreaMoveStore::Cursor() {
  int64_t cursor = 0;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare("SELECT last_sequence FROM orgs_feed_cursor WHERE id = 1");
    auto rows = c.Query(select);
    if (rows->next()) cursor = rows->getInt64(1);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return cursor;
}

absl::Status AreaMoveStore::Apply(const WriteContext& write, int64_t from, int64_t to,
                                  const std::vector<AreaMove>& moves) {
  return db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    // Replicas take turns on the cursor row; the one that finds it moved
    // applies nothing.
    auto& advance = c.Prepare(
        "UPDATE orgs_feed_cursor SET last_sequence = ?, update_time = ? WHERE id = 1 AND"
        " last_sequence = ?");
    advance.setInt64(1, to);
    advance.setString(2, db::ToDbTime(write.now));
    advance.setInt64(3, from);
    if (advance.executeUpdate() == 0) {
      return Aborted("CURSOR_MOVED", "another replica applied orgs' changes first");
    }
    for (const AreaMove& move : moves) {
      FollowAreaMove(c, changes_, write, move.old_path, move.new_path);
    }
    return absl::OkStatus();
  });
}

}  // namespace grassroots::grid
