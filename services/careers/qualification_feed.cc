#include "services/careers/qualification_feed.h"

#include "common/db/db_time.h"
#include "common/db/transaction.h"
#include "common/time/proto_time.h"

namespace grassroots::careers {

void QualificationFeed::Append(db::Connection& c, const std::string& worker_id,
                               const std::string& community_path, bool qualified_alone,
                               absl::Time now) {
  c.Prepare("UPDATE qualification_feed_head SET last_sequence = last_sequence + 1 WHERE id = 1")
      .executeUpdate();
  auto& insert = c.Prepare(
      "INSERT INTO qualification_changes (sequence, worker_id, community_path, qualified_alone,"
      " change_time) SELECT last_sequence, ?, ?, ?, ? FROM qualification_feed_head WHERE id = 1");
  insert.setString(1, worker_id);
  insert.setString(2, community_path);
  insert.setBoolean(3, qualified_alone);
  insert.setString(4, db::ToDbTime(now));
  insert.executeUpdate();
}

absl::StatusOr<std::vector<v1::QualificationChange>> QualificationFeed::List(int64_t after_sequence,
                                                                             int limit) {
  std::vector<v1::QualificationChange> changes;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    changes.clear();
    auto& select = c.Prepare(
        "SELECT sequence, worker_id, community_path, qualified_alone, change_time FROM"
        " qualification_changes WHERE sequence > ? ORDER BY sequence LIMIT ?");
    select.setInt64(1, after_sequence);
    select.setInt(2, limit);
    auto rows = c.Query(select);
    while (rows->next()) {
      v1::QualificationChange& change = changes.emplace_back();
      change.set_sequence(rows->getInt64(1));
      change.set_worker_id(rows->getString(2));
      change.set_community_path(rows->getString(3));
      change.set_qualified_alone(rows->getBoolean(4));
      ToProtoTime(db::FromDbTime(rows->getString(5)), change.mutable_change_time());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return changes;
}

}  // namespace grassroots::careers
