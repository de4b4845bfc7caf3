#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/expiry.pb.h"

namespace grassroots::volunteer {

// What one run expired: accounts looked at, and each expiry made (the
// account's community and the points).
struct ExpiryRun {
  int64_t accounts_checked = 0;
  std::vector<std::pair<std::string, int64_t>> expired;
};

// The only code that speaks SQL about points expiry. Each account expires
// in a ledger transaction of its own: its account and its community's
// expiry account are locked (in id order) before its points are summed, so
// a redemption or a second run at the same time queues behind it and the
// sums are the ones the transfer is planned against.
class ExpiryStore {
 public:
  ExpiryStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::ExpiryRule> SetRule(const std::string& scope, const WriteContext& write,
                                         const v1::ExpiryRule& rule);
  absl::StatusOr<v1::ExpiryRule> GetRule(const std::string& scope,
                                         const std::string& community_path);
  // Every volunteer account in `scope` holding points, as of `as_of`.
  absl::StatusOr<ExpiryRun> Expire(const std::string& scope, const WriteContext& write,
                                   absl::CivilDay as_of);

 private:
  // The points of one account that are older than `cutoff`, moved.
  absl::StatusOr<int64_t> ExpireAccount(const WriteContext& write, const std::string& account_id,
                                        const std::string& volunteer_id,
                                        const std::string& community_path, absl::CivilDay cutoff);

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::volunteer
