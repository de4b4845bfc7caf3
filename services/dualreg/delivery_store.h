#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"

namespace grassroots::dualreg {

// What a delivery carries to which service.
enum class DeliveryKind : int {
  // A volunteer.v1.CreditEventRequest for volunteer's CreditService.
  kCredit = 1,
  // An orgs.v1.PublishNeedRequest for orgs' CoBuildingService.
  kNeed = 2,
};

struct Delivery {
  int64_t id = 0;
  DeliveryKind kind = DeliveryKind::kCredit;
  std::string event_id;
  std::string order_id;
  std::string payload;
  int attempts = 0;
};

// dualreg's outbox towards other services: a row is written in the
// transaction that makes the call due, so the call is never lost; the
// relay delivers it and marks it done. Receivers deduplicate by event id,
// so a row delivered twice (a crash between the call and the mark, two
// replicas relaying) is applied once.
class DeliveryStore {
 public:
  explicit DeliveryStore(db::ConnectionPool& pool) : pool_(pool) {}

  // Inside the caller's transaction; a second row with the same event id is ignored.
  static void Enqueue(db::Connection& c, DeliveryKind kind, const std::string& event_id,
                      const std::string& order_id, const std::string& payload, absl::Time now);

  // Rows not done whose next attempt is due, oldest first.
  absl::StatusOr<std::vector<Delivery>> Due(absl::Time now, int limit);
  // Done: the order records the outcome (`result`: the need's id in orgs).
  absl::Status MarkDelivered(const Delivery& delivery, const std::string& result, absl::Time now);
  // Refused for good by the receiver: done, and the order says so.
  absl::Status MarkRefused(const Delivery& delivery, const std::string& error, absl::Time now);
  // Failed for now: tried again at `next`.
  absl::Status MarkRetry(const Delivery& delivery, const std::string& error, absl::Time next);
  // Rows not done (the relay's lag).
  absl::StatusOr<int64_t> PendingCount();

 private:
  absl::Status Finish(const Delivery& delivery, bool refused, const std::string& text,
                      absl::Time now);

  db::ConnectionPool& pool_;
};

}  // namespace grassroots::dualreg
