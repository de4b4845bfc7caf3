#include "services/grid/qualification_store.h"

#include "common/db/db_time.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

int64_t ReadCursor(db::Connection& c) {
  auto& select = c.Prepare("SELECT last_sequence FROM careers_feed_cursor WHERE id = 1");
  auto rows = c.Query(select);
  return rows->next() ? rows->getInt64(1) : 0;
}

}  // namespace

absl::StatusOr<int64_t> QualificationStore::Cursor() {
  int64_t cursor = 0;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    cursor = ReadCursor(c);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return cursor;
}

absl::Status QualificationStore::Apply(
    const WriteContext& write, int64_t from, int64_t to,
    const std::vector<careers::v1::QualificationChange>& changes) {
  return db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& advance = c.Prepare(
        "UPDATE careers_feed_cursor SET last_sequence = ?, update_time = ? WHERE id = 1 AND"
        " last_sequence = ?");
    advance.setInt64(1, to);
    advance.setString(2, db::ToDbTime(write.now));
    advance.setInt64(3, from);
    if (advance.executeUpdate() == 0) {
      return Aborted("CURSOR_MOVED", "another replica applied careers' changes first");
    }
    for (const careers::v1::QualificationChange& change : changes) {
      auto& upsert = c.Prepare(
          "INSERT INTO worker_qualifications (worker_id, community_path, qualified_alone,"
          " sequence, update_time) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
          " community_path = VALUES(community_path), qualified_alone = VALUES(qualified_alone),"
          " sequence = VALUES(sequence), update_time = VALUES(update_time)");
      upsert.setString(1, change.worker_id());
      upsert.setString(2, change.community_path());
      upsert.setBoolean(3, change.qualified_alone());
      upsert.setInt64(4, change.sequence());
      upsert.setString(5, db::ToDbTime(write.now));
      upsert.executeUpdate();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::WorkerQualification> QualificationStore::Find(const std::string& worker_id) {
  v1::WorkerQualification found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found.Clear();
    found.set_worker_id(worker_id);
    found.set_feed_position(ReadCursor(c));
    auto& select = c.Prepare(
        "SELECT qualified_alone, sequence FROM worker_qualifications WHERE worker_id = ?");
    select.setString(1, worker_id);
    auto rows = c.Query(select);
    if (rows->next()) {
      found.set_known(true);
      found.set_qualified_alone(rows->getBoolean(1));
      found.set_sequence(rows->getInt64(2));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

}  // namespace grassroots::grid
