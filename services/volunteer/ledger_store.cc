#include "services/volunteer/ledger_store.h"

#include <algorithm>
#include <limits>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"
#include "common/db/sql_errors.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/volunteer/created_record.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/scope_errors.h"

namespace grassroots::volunteer {
namespace {

constexpr char kAccountColumns[] =
    "SELECT id, kind, community_path, owner_id, balance, entry_count, create_time FROM accounts";
// The transfer and the one that reversed it, if any.
constexpr char kTransferColumns[] =
    "SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.memo,"
    " t.reverses_transfer_id, t.linked_group_id, t.actor, t.create_time, r.id"
    " FROM transfers t LEFT JOIN transfers r ON r.reverses_transfer_id = t.id";
constexpr char kEntryColumns[] =
    "SELECT e.account_id, e.sequence, e.transfer_id, e.amount, e.balance_after,"
    " e.counterparty_account_id, t.memo, e.create_time FROM entries e"
    " JOIN transfers t ON t.id = e.transfer_id";

v1::Account ReadAccount(sql::ResultSet& r) {
  v1::Account a;
  a.set_id(r.getString(1));
  a.set_kind(static_cast<v1::AccountKind>(r.getInt(2)));
  a.set_community_path(r.getString(3));
  a.set_owner_id(r.getString(4));
  a.set_balance(r.getInt64(5));
  a.set_entry_count(r.getInt64(6));
  ToProtoTime(db::FromDbTime(r.getString(7)), a.mutable_create_time());
  return a;
}

v1::Transfer ReadTransfer(sql::ResultSet& r) {
  v1::Transfer t;
  t.set_id(r.getString(1));
  t.set_debit_account_id(r.getString(2));
  t.set_credit_account_id(r.getString(3));
  t.set_amount(r.getInt64(4));
  t.set_memo(r.getString(5));
  if (!r.isNull(6)) t.set_reverses_transfer_id(r.getString(6));
  t.set_linked_group_id(r.getString(7));
  t.set_actor(r.getString(8));
  ToProtoTime(db::FromDbTime(r.getString(9)), t.mutable_create_time());
  if (!r.isNull(10)) t.set_reversed_by_transfer_id(r.getString(10));
  return t;
}

v1::Entry ReadEntry(sql::ResultSet& r) {
  v1::Entry e;
  e.set_account_id(r.getString(1));
  e.set_sequence(r.getInt64(2));
  e.set_transfer_id(r.getString(3));
  e.set_amount(r.getInt64(4));
  e.set_balance_after(r.getInt64(5));
  e.set_counterparty_account_id(r.getString(6));
  e.set_memo(r.getString(7));
  ToProtoTime(db::FromDbTime(r.getString(8)), e.mutable_create_time());
  return e;
}

std::optional<v1::Account> FindAccount(db::Connection& c, const std::string& id) {
  auto& select = c.Prepare(absl::StrCat(kAccountColumns, " WHERE id = ?"));
  select.setString(1, id);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadAccount(*rows);
}

// Locks the accounts in id order (one statement; InnoDB walks the primary
// key in order), so two transactions over the same accounts queue instead
// of deadlocking; a deadlock that still occurs is retried by the helper.
absl::flat_hash_map<std::string, v1::Account> LockAccounts(db::Connection& c,
                                                           const std::set<std::string>& ids) {
  auto& select = c.Prepare(absl::StrCat(kAccountColumns, " WHERE id IN (",
                                        db::ParameterList(static_cast<int>(ids.size())),
                                        ") ORDER BY id FOR UPDATE"));
  int index = 1;
  for (const std::string& id : ids) select.setString(index++, id);
  auto rows = c.Query(select);
  absl::flat_hash_map<std::string, v1::Account> found;
  while (rows->next()) {
    v1::Account a = ReadAccount(*rows);
    found.emplace(a.id(), std::move(a));
  }
  return found;
}

absl::flat_hash_map<std::string, v1::Transfer> FindTransfers(db::Connection& c,
                                                             const std::vector<v1::Transfer>& ts) {
  auto& select = c.Prepare(absl::StrCat(kTransferColumns, " WHERE t.id IN (",
                                        db::ParameterList(static_cast<int>(ts.size())), ")"));
  int index = 1;
  for (const v1::Transfer& t : ts) select.setString(index++, t.id());
  auto rows = c.Query(select);
  absl::flat_hash_map<std::string, v1::Transfer> found;
  while (rows->next()) {
    v1::Transfer t = ReadTransfer(*rows);
    found.emplace(t.id(), std::move(t));
  }
  return found;
}

std::string Named(const std::string& field, size_t i, size_t n) {
  return n == 1 ? field : absl::StrCat(field, "[", i, "]");
}

// The answer to a request whose ids were all used before: the first
// results when every body agrees; else the refusal names the first id that
// was used otherwise.
absl::StatusOr<std::vector<v1::Transfer>> Replay(
    const std::vector<v1::Transfer>& requested,
    const absl::flat_hash_map<std::string, v1::Transfer>& existing, const std::string& field) {
  std::vector<v1::Transfer> first;
  for (size_t i = 0; i < requested.size(); ++i) {
    auto it = existing.find(requested[i].id());
    const std::string name = Named(field, i, requested.size());
    if (it == existing.end()) {
      // Linked transfers commit together, so a partial match is a different request.
      for (size_t j = 0; j < requested.size(); ++j) {
        if (existing.contains(requested[j].id())) {
          return AlreadyExists(
              "TRANSFER_ID_REUSED",
              absl::StrCat(Named(field, j, requested.size()), ".id: transfer ", requested[j].id(),
                           " was already made by another request"));
        }
      }
    }
    if (!SameBody(requested[i], it->second) ||
        it->second.linked_group_id() != requested.front().id()) {
      return AlreadyExists("TRANSFER_ID_REUSED",
                           absl::StrCat(name, ".id: transfer ", requested[i].id(),
                                        " was already made with a different body"));
    }
    first.push_back(it->second);
  }
  return first;
}

absl::Status CheckAccounts(const std::string& scope, const std::vector<v1::Transfer>& transfers,
                           const absl::flat_hash_map<std::string, v1::Account>& accounts,
                           const std::string& field) {
  for (size_t i = 0; i < transfers.size(); ++i) {
    const std::string name = Named(field, i, transfers.size());
    for (const auto& [side, id] :
         {std::pair{".debit_account_id", &transfers[i].debit_account_id()},
          std::pair{".credit_account_id", &transfers[i].credit_account_id()}}) {
      auto it = accounts.find(*id);
      if (it == accounts.end() || !PathWithin(it->second.community_path(), scope)) {
        return Hidden(scope, absl::StrCat(name, side), "account", "ACCOUNT_NOT_FOUND");
      }
    }
  }
  return absl::OkStatus();
}

// A reversal's original, still unreversed, read after the accounts (which
// both share) are locked.
absl::Status CheckNotReversed(db::Connection& c, const std::vector<v1::Transfer>& transfers,
                              const std::string& field) {
  for (size_t i = 0; i < transfers.size(); ++i) {
    const v1::Transfer& t = transfers[i];
    if (t.reverses_transfer_id().empty()) continue;
    auto& select = c.Prepare("SELECT id FROM transfers WHERE reverses_transfer_id = ?");
    select.setString(1, t.reverses_transfer_id());
    auto rows = c.Query(select);
    if (rows->next()) {
      return FailedPrecondition(
          "TRANSFER_ALREADY_REVERSED",
          absl::StrCat(Named(field, i, transfers.size()), ": transfer ", t.reverses_transfer_id(),
                       " was already reversed by ", std::string(rows->getString(1))));
    }
  }
  return absl::OkStatus();
}

void Insert(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
            std::vector<v1::Transfer>& transfers,
            const absl::flat_hash_map<std::string, v1::Account>& accounts,
            const std::vector<PlannedEntry>& entries, const AccountStates& after) {
  // As the database keeps it (microseconds), so a replay answers identically.
  const absl::Time at = absl::FromUnixMicros(absl::ToUnixMicros(write.now));
  const std::string now = db::ToDbTime(at);
  auto& insert = c.Prepare(
      absl::StrCat("INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, memo,"
                   " reverses_transfer_id, linked_group_id, actor, create_time) VALUES ",
                   db::ParameterRows(9, static_cast<int>(transfers.size()))));
  int index = 1;
  for (v1::Transfer& t : transfers) {
    t.set_linked_group_id(transfers.front().id());
    t.set_actor(write.actor);
    ToProtoTime(at, t.mutable_create_time());
    insert.setString(index++, t.id());
    insert.setString(index++, t.debit_account_id());
    insert.setString(index++, t.credit_account_id());
    insert.setInt64(index++, t.amount());
    insert.setString(index++, t.memo());
    SetStringOrNull(insert, index++, t.reverses_transfer_id());
    insert.setString(index++, t.linked_group_id());
    insert.setString(index++, write.actor);
    insert.setString(index++, now);
  }
  // A duplicate key here (the id, or a second reversal of one original) means
  // another transaction got there first: RunLedgerTransaction reruns, and
  // the rerun sees what it made.
  insert.executeUpdate();
  auto& entry = c.Prepare(
      absl::StrCat("INSERT INTO entries (account_id, sequence, transfer_id, amount, balance_after,"
                   " counterparty_account_id, create_time) VALUES ",
                   db::ParameterRows(7, static_cast<int>(entries.size()))));
  index = 1;
  for (const PlannedEntry& e : entries) {
    entry.setString(index++, e.account_id);
    entry.setInt64(index++, e.sequence);
    entry.setString(index++, e.transfer_id);
    entry.setInt64(index++, e.amount);
    entry.setInt64(index++, e.balance_after);
    entry.setString(index++, e.counterparty_account_id);
    entry.setString(index++, now);
  }
  entry.executeUpdate();
  for (const auto& [id, state] : after) {
    auto& update = c.Prepare("UPDATE accounts SET balance = ?, entry_count = ? WHERE id = ?");
    update.setInt64(1, state.balance);
    update.setInt64(2, state.entry_count);
    update.setString(3, id);
    update.executeUpdate();
  }
  std::vector<ChangeLog::Entry> log;
  log.reserve(transfers.size());
  for (const v1::Transfer& t : transfers) {
    log.push_back({&write,
                   {t.id(), common::v1::Change::CREATED,
                    accounts.at(t.debit_account_id()).community_path(), &t, nullptr}});
  }
  changes.AppendAll(c, log);
}

}  // namespace

v1::Account LedgerStore::EnsureAccount(db::Connection& c, const ChangeLog& changes,
                                       const WriteContext& write, const v1::Account& account) {
  v1::Account opened;
  opened.set_id(AccountId(account.kind(), account.community_path(), account.owner_id()));
  opened.set_kind(account.kind());
  opened.set_community_path(account.community_path());
  opened.set_owner_id(account.owner_id());
  ToProtoTime(absl::FromUnixMicros(absl::ToUnixMicros(write.now)), opened.mutable_create_time());
  // Looked up first: INSERT IGNORE on an existing row would take a shared
  // lock that a later FOR UPDATE must upgrade, which deadlocks two such
  // transactions against each other.
  if (auto existing = FindAccount(c, opened.id())) return *existing;
  auto& insert = c.Prepare(
      "INSERT IGNORE INTO accounts (id, kind, community_path, owner_id, balance, entry_count,"
      " create_time) VALUES (?, ?, ?, ?, 0, 0, ?)");
  insert.setString(1, opened.id());
  insert.setInt(2, opened.kind());
  insert.setString(3, opened.community_path());
  insert.setString(4, opened.owner_id());
  insert.setString(5, db::ToDbTime(write.now));
  if (insert.executeUpdate() == 1) {
    changes.Append(c, write,
                   {opened.id(), common::v1::Change::CREATED, opened.community_path(), &opened,
                    nullptr, /*carries_request_id=*/false});
    return opened;
  }
  return *FindAccount(c, opened.id());
}

absl::Status LedgerStore::RunLedgerTransaction(
    db::ConnectionPool& pool, absl::FunctionRef<absl::Status(db::Connection&)> body) {
  absl::Status status;
  for (int attempt = 0; attempt < 3; ++attempt) {
    status = db::RunInTransaction(
        pool, body, db::TransactionOptions{.idempotent = true, .read_committed = true});
    if (!db::IsDuplicateKey(status)) return status;
  }
  return status;
}

absl::StatusOr<std::vector<v1::Transfer>> LedgerStore::Apply(
    db::Connection& c, const ChangeLog& changes, const std::string& scope,
    const WriteContext& write, const std::vector<v1::Transfer>& requested,
    const std::string& field) {
  std::set<std::string> ids;
  for (const v1::Transfer& t : requested) {
    ids.insert(t.debit_account_id());
    ids.insert(t.credit_account_id());
  }
  const auto accounts = LockAccounts(c, ids);
  if (auto s = CheckAccounts(scope, requested, accounts, field); !s.ok()) return s;
  const auto existing = FindTransfers(c, requested);
  if (!existing.empty()) return Replay(requested, existing, field);
  if (auto s = CheckNotReversed(c, requested, field); !s.ok()) return s;
  AccountStates states;
  for (const auto& [id, a] : accounts) states[id] = {a.kind(), a.balance(), a.entry_count()};
  auto entries = PlanTransfers(requested, states, field);
  if (!entries.ok()) return entries.status();
  std::vector<v1::Transfer> made = requested;
  Insert(c, changes, write, made, accounts, *entries, states);
  return made;
}

std::optional<v1::Transfer> LedgerStore::FindTransfer(db::Connection& c, const std::string& id) {
  auto& select = c.Prepare(absl::StrCat(kTransferColumns, " WHERE t.id = ?"));
  select.setString(1, id);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadTransfer(*rows);
}

absl::StatusOr<v1::Account> LedgerStore::Open(const std::string& scope, const WriteContext& write,
                                              const v1::Account& account) {
  if (!PathWithin(account.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "account.community_path lies outside the caller's jurisdiction");
  }
  v1::Account opened;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
    opened = EnsureAccount(c, changes_, write, account);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return opened;
}

absl::StatusOr<v1::Account> LedgerStore::GetAccount(const std::string& scope,
                                                    const std::string& id) {
  std::optional<v1::Account> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindAccount(c, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found || !PathWithin(found->community_path(), scope)) {
    return Hidden(scope, "", "account", "ACCOUNT_NOT_FOUND");
  }
  return *found;
}

absl::StatusOr<std::vector<v1::Transfer>> LedgerStore::Transfer(
    const std::string& scope, const WriteContext& write, const std::vector<v1::Transfer>& transfers,
    const std::string& field) {
  std::vector<v1::Transfer> made;
  absl::Status status = RunLedgerTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto applied = Apply(c, changes_, scope, write, transfers, field);
    if (!applied.ok()) return applied.status();
    made = *std::move(applied);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return made;
}

absl::StatusOr<v1::Transfer> LedgerStore::Reverse(const std::string& scope,
                                                  const WriteContext& write, const std::string& id,
                                                  const std::string& original_id,
                                                  const std::string& memo) {
  v1::Transfer made;
  absl::Status status = RunLedgerTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto original = FindTransfer(c, original_id);
    if (!original) return Hidden(scope, "transfer_id", "transfer", "TRANSFER_NOT_FOUND");
    if (!original->reverses_transfer_id().empty()) {
      return FailedPrecondition(
          "REVERSAL_NOT_REVERSIBLE",
          absl::StrCat("transfer_id: ", original_id, " is a reversal of ",
                       original->reverses_transfer_id(), "; make a new transfer instead"));
    }
    auto applied =
        Apply(c, changes_, scope, write, {ReversalOf(*original, id, memo)}, "transfer_id");
    if (!applied.ok()) return applied.status();
    made = applied->front();
    if (made.reverses_transfer_id() != original_id) {
      return AlreadyExists("TRANSFER_ID_REUSED",
                           absl::StrCat("id: transfer ", id, " was already made otherwise"));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return made;
}

absl::StatusOr<v1::Transfer> LedgerStore::GetTransfer(const std::string& scope,
                                                      const std::string& id) {
  std::optional<v1::Transfer> found;
  bool visible = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindTransfer(c, id);
    if (!found) return absl::OkStatus();
    for (const std::string* account : {&found->debit_account_id(), &found->credit_account_id()}) {
      auto a = FindAccount(c, *account);
      visible = visible || (a && PathWithin(a->community_path(), scope));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found || !visible) return Hidden(scope, "", "transfer", "TRANSFER_NOT_FOUND");
  return *found;
}

absl::StatusOr<EntryPage> LedgerStore::ListEntries(const std::string& scope,
                                                   const std::string& account_id, int page_size,
                                                   int64_t before_sequence) {
  EntryPage page;
  bool visible = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto account = FindAccount(c, account_id);
    visible = account && PathWithin(account->community_path(), scope);
    if (!visible) return absl::OkStatus();
    auto& select =
        c.Prepare(absl::StrCat(kEntryColumns,
                               " WHERE e.account_id = ? AND e.sequence < ? ORDER BY e.sequence DESC"
                               " LIMIT ?"));
    select.setString(1, account_id);
    select.setInt64(2,
                    before_sequence == 0 ? std::numeric_limits<int64_t>::max() : before_sequence);
    select.setInt(3, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.entries.push_back(ReadEntry(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!visible) return Hidden(scope, "account_id", "account", "ACCOUNT_NOT_FOUND");
  if (static_cast<int>(page.entries.size()) > page_size) {
    page.entries.pop_back();
    page.last_sequence = page.entries.back().sequence();
  }
  return page;
}

absl::StatusOr<StatementPage> LedgerStore::Statement(const std::string& scope,
                                                     const std::string& account_id,
                                                     absl::Time start, absl::Time end,
                                                     int page_size, int64_t after_sequence) {
  StatementPage page;
  v1::Statement& statement = page.statement;
  statement.set_account_id(account_id);
  bool visible = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto account = FindAccount(c, account_id);
    visible = account && PathWithin(account->community_path(), scope);
    if (!visible) return absl::OkStatus();
    // The balance before a time: that of the last entry dated before it.
    auto balance_before = [&](absl::Time t) -> int64_t {
      auto& select = c.Prepare(
          "SELECT balance_after FROM entries WHERE account_id = ? AND create_time < ?"
          " ORDER BY create_time DESC, sequence DESC LIMIT 1");
      select.setString(1, account_id);
      select.setString(2, db::ToDbTime(t));
      auto rows = c.Query(select);
      return rows->next() ? rows->getInt64(1) : 0;
    };
    statement.set_opening_balance(balance_before(start));
    statement.set_closing_balance(balance_before(end));
    auto& select = c.Prepare(absl::StrCat(kEntryColumns,
                                          " WHERE e.account_id = ? AND e.create_time >= ?"
                                          " AND e.create_time < ? AND e.sequence > ?"
                                          " ORDER BY e.sequence LIMIT ?"));
    select.setString(1, account_id);
    select.setString(2, db::ToDbTime(start));
    select.setString(3, db::ToDbTime(end));
    select.setInt64(4, after_sequence);
    select.setInt(5, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) *statement.add_entries() = ReadEntry(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!visible) return Hidden(scope, "account_id", "account", "ACCOUNT_NOT_FOUND");
  if (statement.entries_size() > page_size) {
    statement.mutable_entries()->RemoveLast();
    page.last_sequence = statement.entries().rbegin()->sequence();
  }
  return page;
}

}  // namespace grassroots::volunteer
