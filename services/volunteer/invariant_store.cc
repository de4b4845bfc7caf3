#include "services/volunteer/invariant_store.h"

#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"

namespace grassroots::volunteer {
namespace {

// Each query returns (subject, detail) for every record breaking `rule`;
// at most 100 rows each, enough to see the pattern.
struct Invariant {
  const char* rule;
  const char* sql;
};

constexpr Invariant kInvariants[] = {
    {"LEDGER_SUM_NOT_ZERO",
     "SELECT 'ledger', CONCAT('the accounts sum to ', SUM(balance)) FROM accounts"
     " HAVING COALESCE(SUM(balance), 0) <> 0"},
    // Only issuing accounts (kind 2) may be below zero.
    {"BALANCE_BELOW_ZERO",
     "SELECT id, CONCAT('balance ', balance) FROM accounts WHERE balance < 0 AND kind <> 2"},
    {"BALANCE_NOT_SUM_OF_TRANSFERS",
     "SELECT a.id, CONCAT('balance ', a.balance, ', transfers ',"
     " COALESCE(cr.s, 0) - COALESCE(dr.s, 0)) FROM accounts a"
     " LEFT JOIN (SELECT credit_account_id id, SUM(amount) s FROM transfers"
     "   GROUP BY credit_account_id) cr ON cr.id = a.id"
     " LEFT JOIN (SELECT debit_account_id id, SUM(amount) s FROM transfers"
     "   GROUP BY debit_account_id) dr ON dr.id = a.id"
     " WHERE a.balance <> COALESCE(cr.s, 0) - COALESCE(dr.s, 0)"},
    {"ENTRIES_NOT_BALANCE",
     "SELECT a.id, CONCAT('balance ', a.balance, ' over ', a.entry_count, ' entries; the entries"
     " sum to ', COALESCE(e.s, 0), ' over ', COALESCE(e.n, 0), ', last ', COALESCE(e.m, 0),"
     " ' ending at ', COALESCE(l.balance_after, 0)) FROM accounts a"
     " LEFT JOIN (SELECT account_id, SUM(amount) s, COUNT(*) n, MAX(sequence) m FROM entries"
     "   GROUP BY account_id) e ON e.account_id = a.id"
     " LEFT JOIN entries l ON l.account_id = a.id AND l.sequence = a.entry_count"
     " WHERE a.balance <> COALESCE(e.s, 0) OR a.entry_count <> COALESCE(e.n, 0)"
     " OR a.entry_count <> COALESCE(e.m, 0) OR a.balance <> COALESCE(l.balance_after, 0)"},
    // Left to itself MariaDB looks each side up by the account (the primary
    // key's first part, "about 9 rows") and reads every entry of a hot
    // account once per transfer of it: 112,000 transfers, 23,000 of them
    // from one issuing account, ran past two minutes. By the transfer it is
    // one row a side (1.4 s for the same ledger).
    {"TRANSFER_ENTRIES_MISMATCH",
     "SELECT t.id, 'its entries are not one debit and one credit of its amount' FROM transfers t"
     " LEFT JOIN entries d FORCE INDEX (k_entries_transfer) ON d.transfer_id = t.id"
     "   AND d.account_id = t.debit_account_id AND d.amount = -t.amount"
     " LEFT JOIN entries c FORCE INDEX (k_entries_transfer) ON c.transfer_id = t.id"
     "   AND c.account_id = t.credit_account_id AND c.amount = t.amount"
     " WHERE d.account_id IS NULL OR c.account_id IS NULL"},
    {"REVERSAL_MISMATCH",
     "SELECT r.id, CONCAT('reverses ', r.reverses_transfer_id,"
     " ' but does not swap its accounts for its amount') FROM transfers r"
     " LEFT JOIN transfers o ON o.id = r.reverses_transfer_id"
     " WHERE r.reverses_transfer_id IS NOT NULL AND (o.id IS NULL OR r.amount <> o.amount"
     " OR r.debit_account_id <> o.credit_account_id OR r.credit_account_id <> o.debit_account_id"
     " OR o.reverses_transfer_id IS NOT NULL)"},
    // Attendance states: 1 signed up, 3 checked in, 4 checked out, 5 confirmed.
    {"ATTENDANCE_NOT_CREDITED_ONCE",
     "SELECT a.id, CONCAT('confirmed for ', a.points, ' points, credited ', COALESCE(t.amount, 0))"
     " FROM attendances a LEFT JOIN transfers t ON t.id = CONCAT('attendance/', a.id)"
     "   AND t.credit_account_id = CONCAT('volunteer/', a.volunteer_id)"
     " WHERE a.state = 5 AND a.points > 0 AND (t.id IS NULL OR t.amount <> a.points)"},
    {"ATTENDANCE_NOT_CREDITED_ONCE",
     "SELECT t.id, 'credits no attendance confirmed for its amount' FROM transfers t"
     " LEFT JOIN attendances a ON a.id = SUBSTRING(t.id, 12) AND a.state = 5"
     "   AND a.points = t.amount"
     " WHERE t.id LIKE 'attendance/%' AND t.reverses_transfer_id IS NULL AND a.id IS NULL"},
    {"CAPACITY_MISMATCH",
     "SELECT ac.id, CONCAT(ac.signed_up, ' places counted, ', COALESCE(n.c, 0), ' held, capacity ',"
     " ac.capacity) FROM activities ac"
     " LEFT JOIN (SELECT activity_id, COUNT(*) c FROM attendances WHERE state IN (1, 3, 4, 5)"
     "   GROUP BY activity_id) n ON n.activity_id = ac.id"
     " WHERE ac.signed_up <> COALESCE(n.c, 0) OR ac.signed_up > ac.capacity"},
    // Redemption states: 1 redeemed, 2 cancelled.
    {"STOCK_MISMATCH",
     "SELECT g.id, CONCAT('stock ', g.stock, '; initial ', g.initial_stock, ' + restocked ',"
     " g.restocked, ' - redeemed ', COALESCE(r.q, 0), ' + cancelled ', COALESCE(r.c, 0))"
     " FROM goods g LEFT JOIN (SELECT good_id, SUM(quantity) q,"
     "   SUM(CASE WHEN state = 2 THEN quantity ELSE 0 END) c FROM redemptions GROUP BY good_id) r"
     "   ON r.good_id = g.id"
     " WHERE g.stock <> g.initial_stock + g.restocked - COALESCE(r.q, 0) + COALESCE(r.c, 0)"
     " OR g.redeemed <> COALESCE(r.q, 0) OR g.cancelled <> COALESCE(r.c, 0) OR g.stock < 0"},
    {"REDEMPTION_NOT_DEBITED_ONCE",
     "SELECT r.id, CONCAT(r.points, ' points, debited ', COALESCE(t.amount, 0), ', given back ',"
     " COALESCE(b.amount, 0)) FROM redemptions r"
     " LEFT JOIN transfers t ON t.id = CONCAT('redemption/', r.id)"
     "   AND t.debit_account_id = CONCAT('volunteer/', r.volunteer_id)"
     " LEFT JOIN transfers b ON b.id = CONCAT('redemption/', r.id, '/cancel')"
     "   AND b.reverses_transfer_id = t.id"
     " WHERE t.id IS NULL OR t.amount <> r.points OR (r.state = 2) <> (b.id IS NOT NULL)"},
    {"CREDIT_NOT_APPLIED_ONCE",
     "SELECT CONCAT(c.source, '/', c.event_id), CONCAT(c.points, ' points, moved ',"
     " COALESCE(t.amount, 0)) FROM credits c"
     " LEFT JOIN transfers t ON t.id = CONCAT('credit/', c.source, '/', c.event_id)"
     "   AND t.credit_account_id = CONCAT('volunteer/', c.volunteer_id)"
     " WHERE (c.points > 0) <> (t.id IS NOT NULL) OR t.amount <> c.points"},
    {"CREDIT_NOT_APPLIED_ONCE",
     "SELECT t.id, 'moves points for no recorded credit' FROM transfers t"
     // Both parts of the credits key from the transfer's id alone, so each
     // transfer finds its credit by the key instead of scanning its source's.
     " LEFT JOIN credits c ON c.source = SUBSTRING_INDEX(SUBSTRING(t.id, 8), '/', 1)"
     "   AND c.event_id = SUBSTRING(t.id, LENGTH(SUBSTRING_INDEX(SUBSTRING(t.id, 8), '/', 1)) + 9)"
     " WHERE t.id LIKE 'credit/%' AND t.reverses_transfer_id IS NULL AND c.event_id IS NULL"},
    // Wish states: 6 confirmed.
    {"WISH_NOT_AWARDED_ONCE",
     "SELECT w.id, CONCAT('confirmed for ', w.points, ' points, paid ', COALESCE(t.amount, 0))"
     " FROM wishes w LEFT JOIN transfers t ON t.id = CONCAT('wish/', w.id)"
     "   AND t.credit_account_id = CONCAT('volunteer/', w.claimer_volunteer_id)"
     " WHERE (w.state = 6 AND w.points > 0) <> (t.id IS NOT NULL) OR t.amount <> w.points"},
    {"WISH_NOT_AWARDED_ONCE",
     "SELECT t.id, 'pays no confirmed wish' FROM transfers t"
     " LEFT JOIN wishes w ON w.id = SUBSTRING(t.id, 6) AND w.state = 6"
     " WHERE t.id LIKE 'wish/%' AND t.reverses_transfer_id IS NULL AND w.id IS NULL"},
    // Account kinds: 1 volunteer, 4 expiry.
    {"EXPIRY_MISMATCH",
     "SELECT t.id, 'moves no volunteer points to the expiry account of their community'"
     " FROM transfers t LEFT JOIN accounts d ON d.id = t.debit_account_id"
     " LEFT JOIN accounts e ON e.id = t.credit_account_id"
     " WHERE t.id LIKE 'expiry/%' AND t.reverses_transfer_id IS NULL AND (d.kind <> 1"
     " OR e.kind <> 4 OR e.community_path <> d.community_path"
     " OR t.id NOT LIKE CONCAT('expiry/', d.owner_id, '/%'))"},
};

// Row counts reported with the result.
int64_t Count(db::Connection& c, const char* sql) {
  auto& select = c.Prepare(sql);
  auto rows = c.Query(select);
  return rows->next() ? rows->getInt64(1) : 0;
}

}  // namespace

absl::StatusOr<v1::CheckInvariantsResponse> InvariantStore::Check() {
  v1::CheckInvariantsResponse result;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
    result.Clear();
    // The first read fixes the snapshot every later statement sees.
    result.set_accounts_checked(Count(c, "SELECT COUNT(*) FROM accounts"));
    result.set_balance_sum(Count(c, "SELECT COALESCE(SUM(balance), 0) FROM accounts"));
    result.set_transfers_checked(Count(c, "SELECT COUNT(*) FROM transfers"));
    result.set_goods_checked(Count(c, "SELECT COUNT(*) FROM goods"));
    result.set_attendances_checked(Count(c, "SELECT COUNT(*) FROM attendances"));
    for (const Invariant& check : kInvariants) {
      auto& select = c.Prepare(absl::StrCat(check.sql, " LIMIT 100"));
      auto rows = c.Query(select);
      while (rows->next()) {
        v1::Violation& v = *result.add_violations();
        v.set_rule(check.rule);
        v.set_subject(rows->getString(1));
        v.set_detail(rows->getString(2));
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace grassroots::volunteer
