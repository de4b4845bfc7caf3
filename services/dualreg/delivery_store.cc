#include "services/dualreg/delivery_store.h"

#include "common/db/db_time.h"
#include "common/db/transaction.h"
#include "grassroots/dualreg/v1/order.pb.h"

namespace grassroots::dualreg {

void DeliveryStore::Enqueue(db::Connection& c, DeliveryKind kind, const std::string& event_id,
                            const std::string& order_id, const std::string& payload,
                            absl::Time now) {
  auto& insert = c.Prepare(
      "INSERT IGNORE INTO deliveries (kind, event_id, order_id, payload, attempts,"
      " next_attempt_time, done_time, refused, last_error, create_time) VALUES (?, ?, ?, ?, 0, ?,"
      " NULL, FALSE, '', ?)");
  insert.setInt(1, static_cast<int>(kind));
  insert.setString(2, event_id);
  insert.setString(3, order_id);
  insert.setString(4, payload);
  insert.setString(5, db::ToDbTime(now));
  insert.setString(6, db::ToDbTime(now));
  insert.executeUpdate();
}

absl::StatusOr<std::vector<Delivery>> DeliveryStore::Due(absl::Time now, int limit) {
  std::vector<Delivery> due;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    due.clear();
    auto& select = c.Prepare(
        "SELECT id, kind, event_id, order_id, payload, attempts FROM deliveries WHERE done_time"
        " IS NULL AND next_attempt_time <= ? ORDER BY next_attempt_time, id LIMIT ?");
    select.setString(1, db::ToDbTime(now));
    select.setInt(2, limit);
    auto rows = c.Query(select);
    while (rows->next()) {
      due.push_back(Delivery{rows->getInt64(1), static_cast<DeliveryKind>(rows->getInt(2)),
                             rows->getString(3), rows->getString(4), rows->getString(5),
                             rows->getInt(6)});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return due;
}

absl::Status DeliveryStore::Finish(const Delivery& delivery, bool refused, const std::string& text,
                                   absl::Time now) {
  return db::RunInTransaction(pool_, [&](db::Connection& c) {
    auto& done = c.Prepare(
        "UPDATE deliveries SET done_time = ?, refused = ?, attempts = attempts + 1, last_error ="
        " ? WHERE id = ? AND done_time IS NULL");
    done.setString(1, db::ToDbTime(now));
    done.setBoolean(2, refused);
    done.setString(3, refused ? text.substr(0, 500) : "");
    done.setInt64(4, delivery.id);
    // Another replica finished it first: nothing more to record.
    if (done.executeUpdate() == 0) return absl::OkStatus();
    if (delivery.kind == DeliveryKind::kCredit) {
      auto& order = c.Prepare("UPDATE orders SET credit_state = ? WHERE id = ?");
      order.setInt(1, refused ? v1::CREDIT_REFUSED : v1::CREDIT_DELIVERED);
      order.setString(2, delivery.order_id);
      order.executeUpdate();
    } else if (!refused) {
      auto& order = c.Prepare("UPDATE orders SET need_published = ? WHERE id = ?");
      order.setString(1, text);
      order.setString(2, delivery.order_id);
      order.executeUpdate();
    }
    return absl::OkStatus();
  });
}

absl::Status DeliveryStore::MarkDelivered(const Delivery& delivery, const std::string& result,
                                          absl::Time now) {
  return Finish(delivery, false, result, now);
}

absl::Status DeliveryStore::MarkRefused(const Delivery& delivery, const std::string& error,
                                        absl::Time now) {
  return Finish(delivery, true, error, now);
}

absl::Status DeliveryStore::MarkRetry(const Delivery& delivery, const std::string& error,
                                      absl::Time next) {
  return db::RunInTransaction(pool_, [&](db::Connection& c) {
    auto& retry = c.Prepare(
        "UPDATE deliveries SET attempts = attempts + 1, next_attempt_time = ?, last_error = ?"
        " WHERE id = ? AND done_time IS NULL");
    retry.setString(1, db::ToDbTime(next));
    retry.setString(2, error.substr(0, 500));
    retry.setInt64(3, delivery.id);
    retry.executeUpdate();
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> DeliveryStore::PendingCount() {
  int64_t count = 0;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare("SELECT COUNT(*) FROM deliveries WHERE done_time IS NULL");
    auto rows = c.Query(select);
    count = rows->next() ? rows->getInt64(1) : 0;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return count;
}

}  // namespace grassroots::dualreg
