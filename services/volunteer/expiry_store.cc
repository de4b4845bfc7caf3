#include "services/volunteer/expiry_store.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/volunteer/expiry_rules.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/ledger_store.h"

namespace grassroots::volunteer {
namespace {

constexpr int kBatch = 200;

// The community's period: its row, else the default.
v1::ExpiryRule FindRule(db::Connection& c, const std::string& community_path) {
  auto& select = c.Prepare("SELECT months, update_time FROM expiry_rules WHERE community_path = ?");
  select.setString(1, community_path);
  auto rows = c.Query(select);
  v1::ExpiryRule rule;
  rule.set_community_path(community_path);
  rule.set_months(kDefaultExpiryMonths);
  if (rows->next()) {
    rule.set_months(rows->getInt(1));
    rule.set_configured(true);
    ToProtoTime(db::FromDbTime(rows->getString(2)), rule.mutable_update_time());
  }
  return rule;
}

// What the account was credited before `before`, and what it was ever debited.
std::pair<int64_t, int64_t> CreditedAndDebited(db::Connection& c, const std::string& account_id,
                                               absl::Time before) {
  auto& select = c.Prepare(
      "SELECT (SELECT COALESCE(SUM(amount), 0) FROM transfers WHERE credit_account_id = ?"
      " AND create_time < ?), (SELECT COALESCE(SUM(amount), 0) FROM transfers"
      " WHERE debit_account_id = ?)");
  select.setString(1, account_id);
  select.setString(2, db::ToDbTime(before));
  select.setString(3, account_id);
  auto rows = c.Query(select);
  if (!rows->next()) return {0, 0};
  return {rows->getInt64(1), rows->getInt64(2)};
}

}  // namespace

absl::StatusOr<v1::ExpiryRule> ExpiryStore::SetRule(const std::string& scope,
                                                    const WriteContext& write,
                                                    const v1::ExpiryRule& rule) {
  if (!PathWithin(rule.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "rule.community_path lies outside the caller's jurisdiction");
  }
  v1::ExpiryRule set = rule;
  set.set_configured(true);
  ToProtoTime(absl::FromUnixMicros(absl::ToUnixMicros(write.now)), set.mutable_update_time());
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
    const v1::ExpiryRule before = FindRule(c, rule.community_path());
    auto& upsert = c.Prepare(
        "INSERT INTO expiry_rules (community_path, months, update_time) VALUES (?, ?, ?)"
        " ON DUPLICATE KEY UPDATE months = VALUES(months), update_time = VALUES(update_time)");
    upsert.setString(1, set.community_path());
    upsert.setInt(2, set.months());
    upsert.setString(3, db::ToDbTime(write.now));
    upsert.executeUpdate();
    changes_.Append(
        c, write,
        {absl::StrCat("expiry-rule/", set.community_path()),
         before.configured() ? common::v1::Change::UPDATED : common::v1::Change::CREATED,
         set.community_path(), &set, before.configured() ? &before : nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return set;
}

absl::StatusOr<v1::ExpiryRule> ExpiryStore::GetRule(const std::string& scope,
                                                    const std::string& community_path) {
  if (!PathWithin(community_path, scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "community_path lies outside the caller's jurisdiction");
  }
  v1::ExpiryRule rule;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    rule = FindRule(c, community_path);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return rule;
}

absl::StatusOr<int64_t> ExpiryStore::ExpireAccount(const WriteContext& write,
                                                   const std::string& account_id,
                                                   const std::string& volunteer_id,
                                                   const std::string& community_path,
                                                   absl::CivilDay cutoff) {
  int64_t expired = 0;
  absl::Status status =
      LedgerStore::RunLedgerTransaction(pool_, [&](db::Connection& c) -> absl::Status {
        expired = 0;
        const std::string id = ExpiryTransferId(volunteer_id, cutoff);
        // The volunteer's account before the sums. Only expiry transfers
        // touch both it and the expiry account, and each locks the
        // volunteer's first, so the order cannot deadlock.
        auto& lock = c.Prepare("SELECT id FROM accounts WHERE id = ? FOR UPDATE");
        lock.setString(1, account_id);
        c.Query(lock);
        if (LedgerStore::FindTransfer(c, id)) return absl::OkStatus();
        const auto [credited, debited] =
            CreditedAndDebited(c, account_id, absl::FromCivil(cutoff, absl::UTCTimeZone()));
        const int64_t points = ExpiringPoints(credited, debited);
        // Most accounts have nothing to expire: no expiry account is made for them.
        if (points == 0) return absl::OkStatus();
        v1::Account sink;
        sink.set_kind(v1::ACCOUNT_KIND_EXPIRY);
        sink.set_community_path(community_path);
        const std::string sink_id = LedgerStore::EnsureAccount(c, changes_, write, sink).id();
        auto& lock_sink = c.Prepare("SELECT id FROM accounts WHERE id = ? FOR UPDATE");
        lock_sink.setString(1, sink_id);
        c.Query(lock_sink);
        v1::Transfer expiry;
        expiry.set_id(id);
        expiry.set_debit_account_id(account_id);
        expiry.set_credit_account_id(sink_id);
        expiry.set_amount(points);
        expiry.set_memo(
            absl::StrCat("points credited before ", absl::FormatCivilTime(cutoff), " expired"));
        auto applied = LedgerStore::Apply(c, changes_, "", write, {expiry}, "as_of_date");
        if (!applied.ok()) return applied.status();
        expired = points;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return expired;
}

absl::StatusOr<ExpiryRun> ExpiryStore::Expire(const std::string& scope, const WriteContext& write,
                                              absl::CivilDay as_of) {
  ExpiryRun run;
  absl::flat_hash_map<std::string, absl::CivilDay> cutoffs;
  std::string after;
  while (true) {
    struct Holder {
      std::string account_id, owner_id, community_path;
    };
    std::vector<Holder> batch;
    absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
      batch.clear();
      auto& select = c.Prepare(
          absl::StrCat("SELECT a.id, a.owner_id, a.community_path FROM accounts a WHERE a.kind = ?"
                       " AND a.balance > 0 AND a.id > ?",
                       db::InScope("a.community_path"), " ORDER BY a.id LIMIT ?"));
      select.setInt(1, v1::ACCOUNT_KIND_VOLUNTEER);
      select.setString(2, after);
      const int next = db::BindScope(select, 3, scope);
      select.setInt(next, kBatch);
      auto rows = c.Query(select);
      while (rows->next())
        batch.push_back({rows->getString(1), rows->getString(2), rows->getString(3)});
      for (const Holder& h : batch) {
        if (!cutoffs.contains(h.community_path)) {
          cutoffs[h.community_path] = ExpiryCutoff(as_of, FindRule(c, h.community_path).months());
        }
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    for (const Holder& h : batch) {
      ++run.accounts_checked;
      auto expired = ExpireAccount(write, h.account_id, h.owner_id, h.community_path,
                                   cutoffs.at(h.community_path));
      if (!expired.ok()) return expired.status();
      if (*expired > 0) run.expired.emplace_back(h.community_path, *expired);
    }
    if (static_cast<int>(batch.size()) < kBatch) return run;
    after = batch.back().account_id;
  }
}

}  // namespace grassroots::volunteer
