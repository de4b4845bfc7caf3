#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/supermarket.pb.h"

namespace grassroots::volunteer {

struct GoodPage {
  std::vector<v1::Good> goods;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about goods and redemptions. A redemption
// locks (through the ledger) the volunteer's and the supermarket's
// accounts, then takes the stock by a conditional UPDATE; a cancellation
// locks the redemption first. Both run in one READ COMMITTED transaction.
class SupermarketStore {
 public:
  SupermarketStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::Good> CreateGood(const std::string& scope, const WriteContext& write,
                                      const v1::Good& requested);
  absl::StatusOr<v1::Good> GetGood(const std::string& scope, const std::string& id);
  absl::StatusOr<GoodPage> ListGoods(const std::string& scope, const std::string& community_path,
                                     int page_size, const std::string& after_id);
  // write.request_id makes it idempotent (required).
  absl::StatusOr<v1::Good> Restock(const std::string& scope, const WriteContext& write,
                                   const std::string& good_id, int64_t quantity);
  absl::StatusOr<v1::Redemption> Redeem(const std::string& scope, const WriteContext& write,
                                        const v1::Redemption& requested);
  absl::StatusOr<v1::Redemption> Cancel(const std::string& scope, const WriteContext& write,
                                        const std::string& id);
  absl::StatusOr<v1::Redemption> GetRedemption(const std::string& scope, const std::string& id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::volunteer
