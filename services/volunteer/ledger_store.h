#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/ledger.pb.h"

namespace grassroots::volunteer {

struct EntryPage {
  std::vector<v1::Entry> entries;
  int64_t last_sequence = 0;  // 0 when this was the last page
};

struct StatementPage {
  v1::Statement statement;    // without next_page_token
  int64_t last_sequence = 0;  // 0 when this was the last page
};

// The only code that speaks SQL about accounts, transfers and entries.
// Ledger writes run at READ COMMITTED: the account rows are locked
// (SELECT ... FOR UPDATE, in id order) before anything is read, so every
// later read sees the latest committed state and no gap locks are taken.
class LedgerStore {
 public:
  LedgerStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // The account of this kind, community and owner, opened if new.
  absl::StatusOr<v1::Account> Open(const std::string& scope, const WriteContext& write,
                                   const v1::Account& account);
  absl::StatusOr<v1::Account> GetAccount(const std::string& scope, const std::string& id);
  // All or nothing, in order; `field` names the request's transfers in
  // refusals ("transfer" or "transfers").
  absl::StatusOr<std::vector<v1::Transfer>> Transfer(const std::string& scope,
                                                     const WriteContext& write,
                                                     const std::vector<v1::Transfer>& transfers,
                                                     const std::string& field);
  absl::StatusOr<v1::Transfer> Reverse(const std::string& scope, const WriteContext& write,
                                       const std::string& id, const std::string& original_id,
                                       const std::string& memo);
  absl::StatusOr<v1::Transfer> GetTransfer(const std::string& scope, const std::string& id);
  // Newest first, before `before_sequence` (0: from the newest).
  absl::StatusOr<EntryPage> ListEntries(const std::string& scope, const std::string& account_id,
                                        int page_size, int64_t before_sequence);
  // Entries dated in [start, end), oldest first, after `after_sequence`.
  absl::StatusOr<StatementPage> Statement(const std::string& scope, const std::string& account_id,
                                          absl::Time start, absl::Time end, int page_size,
                                          int64_t after_sequence);

  // For other stores, inside their own transactions (which must run at
  // READ COMMITTED and take no account lock before these do).
  // The account, opened if new.
  static v1::Account EnsureAccount(db::Connection& c, const ChangeLog& changes,
                                   const WriteContext& write, const v1::Account& account);
  // Applies `transfers` as Transfer does: the same ids with the same bodies
  // return the first results; a reversal (reverses_transfer_id set) is
  // refused when its original was reversed by another.
  static absl::StatusOr<std::vector<v1::Transfer>> Apply(db::Connection& c,
                                                         const ChangeLog& changes,
                                                         const std::string& scope,
                                                         const WriteContext& write,
                                                         const std::vector<v1::Transfer>& transfers,
                                                         const std::string& field);
  static std::optional<v1::Transfer> FindTransfer(db::Connection& c, const std::string& id);

  // Runs `Apply`-using work in a ledger transaction, rerunning it once when
  // another transaction took one of its transfer ids first (the rerun then
  // finds that transfer and answers as a replay).
  static absl::Status RunLedgerTransaction(db::ConnectionPool& pool,
                                           absl::FunctionRef<absl::Status(db::Connection&)> body);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::volunteer
