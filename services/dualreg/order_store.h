#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/dualreg/v1/order.pb.h"
#include "services/dualreg/order_rules.h"

namespace grassroots::dualreg {

// Who is taking a step, as far as the rules care.
struct Actor {
  // Set for a dualreg.member caller: it acts only as this member.
  std::string only_member;
  // The caller's principal id (who ordered, who confirms).
  std::string principal_id;
  bool admin = false;
};

// The only code that speaks SQL about orders and their offers. Each step
// locks the order row (FOR UPDATE), applies the rules, and writes the row
// and one change row in one transaction; a confirmation writes the credit's
// delivery row in it too, an unmatched dispatch the need's.
class OrderStore {
 public:
  OrderStore(db::ConnectionPool& pool, const ChangeLog& changes, OrderClock clock,
             int points_per_order)
      : pool_(pool), changes_(changes), clock_(clock), points_per_order_(points_per_order) {}

  // `order` has its community_path filled in.
  absl::StatusOr<v1::Order> Create(const std::string& scope, const WriteContext& write,
                                   v1::Order order);
  absl::StatusOr<v1::Order> Dispatch(const std::string& scope, const WriteContext& write,
                                     const v1::DispatchOrderRequest& request);
  absl::StatusOr<v1::Order> Take(const std::string& scope, const WriteContext& write,
                                 const v1::TakeOrderRequest& request, const Actor& actor);
  absl::StatusOr<v1::Order> Complete(const std::string& scope, const WriteContext& write,
                                     const v1::CompleteOrderRequest& request, const Actor& actor);
  absl::StatusOr<v1::Order> Confirm(const std::string& scope, const WriteContext& write,
                                    const std::string& id, const Actor& actor);
  absl::StatusOr<v1::Order> Rate(const std::string& scope, const WriteContext& write,
                                 const v1::RateOrderRequest& request, const Actor& actor);
  absl::StatusOr<v1::Order> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<v1::ListOrdersResponse> List(const std::string& scope,
                                              const v1::ListOrdersRequest& request);
  absl::StatusOr<v1::ServiceFigures> Figures(const std::string& scope, const std::string& path);

  // Flags orders whose step is due by `now` (at most `limit`), each with a
  // change row; the number flagged. Replicas share the work (SKIP LOCKED).
  absl::StatusOr<int> FlagOverdue(const WriteContext& write, int limit);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const OrderClock clock_;
  const int points_per_order_;
};

}  // namespace grassroots::dualreg
