#include "services/volunteer/supermarket_store.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/volunteer/created_record.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/ledger_store.h"
#include "services/volunteer/scope_errors.h"
#include "services/volunteer/supermarket_rules.h"
#include "services/volunteer/volunteer_store.h"

namespace grassroots::volunteer {
namespace {

constexpr char kGoodColumns[] =
    "SELECT g.id, g.community_path, g.display_name, g.price, g.initial_stock, g.stock,"
    " g.restocked, g.redeemed, g.cancelled, g.create_time FROM goods g";
constexpr char kRedemptionColumns[] =
    "SELECT r.id, r.volunteer_id, r.good_id, r.quantity, r.points, r.state, r.community_path,"
    " r.create_time, r.update_time FROM redemptions r";

absl::Time Micros(absl::Time t) { return absl::FromUnixMicros(absl::ToUnixMicros(t)); }

v1::Good ReadGood(sql::ResultSet& r) {
  v1::Good g;
  g.set_id(r.getString(1));
  g.set_community_path(r.getString(2));
  g.set_display_name(r.getString(3));
  g.set_price(r.getInt64(4));
  g.set_initial_stock(r.getInt64(5));
  g.set_stock(r.getInt64(6));
  g.set_restocked(r.getInt64(7));
  g.set_redeemed(r.getInt64(8));
  g.set_cancelled(r.getInt64(9));
  ToProtoTime(db::FromDbTime(r.getString(10)), g.mutable_create_time());
  return g;
}

v1::Redemption ReadRedemption(sql::ResultSet& r) {
  v1::Redemption d;
  d.set_id(r.getString(1));
  d.set_volunteer_id(r.getString(2));
  d.set_good_id(r.getString(3));
  d.set_quantity(r.getInt64(4));
  d.set_points(r.getInt64(5));
  d.set_state(static_cast<v1::RedemptionState>(r.getInt(6)));
  d.set_community_path(r.getString(7));
  ToProtoTime(db::FromDbTime(r.getString(8)), d.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(9)), d.mutable_update_time());
  d.set_transfer_id(RedemptionTransferId(d.id()));
  if (d.state() == v1::REDEMPTION_CANCELLED) {
    d.set_reversal_transfer_id(CancellationTransferId(d.id()));
  }
  return d;
}

std::optional<v1::Good> FindGood(db::Connection& c, const std::string& scope,
                                 const std::string& id) {
  auto& select =
      c.Prepare(absl::StrCat(kGoodColumns, " WHERE g.id = ?", db::InScope("g.community_path")));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadGood(*rows);
}

std::optional<v1::Redemption> FindRedemption(db::Connection& c, const std::string& id,
                                             const char* lock = "") {
  auto& select = c.Prepare(absl::StrCat(kRedemptionColumns, " WHERE r.id = ?", lock));
  select.setString(1, id);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadRedemption(*rows);
}

// A redemption id seen before: the first answer, or the refusal naming it.
absl::StatusOr<v1::Redemption> Earlier(const std::string& scope, const v1::Redemption& found,
                                       const v1::Redemption& requested) {
  if (!PathWithin(found.community_path(), scope)) {
    return Hidden(scope, "", "redemption", "REDEMPTION_NOT_FOUND");
  }
  if (!SameRedemption(found, requested)) {
    return AlreadyExists("REDEMPTION_ID_REUSED",
                         absl::StrCat("redemption.id: redemption ", requested.id(),
                                      " was already made with a different body"));
  }
  return found;
}

// Moves `delta` items between stock and a counter (redeemed, cancelled or
// restocked); taking stock happens only while enough is left.
bool MoveStock(db::Connection& c, const std::string& good_id, const char* counter, int64_t quantity,
               bool take) {
  auto& update =
      c.Prepare(absl::StrCat("UPDATE goods SET stock = stock ", take ? "-" : "+", " ?, ", counter,
                             " = ", counter, " + ? WHERE id = ? AND stock >= ?"));
  update.setInt64(1, quantity);
  update.setInt64(2, quantity);
  update.setString(3, good_id);
  update.setInt64(4, take ? quantity : 0);
  return update.executeUpdate() == 1;
}

v1::Account SupermarketAccount(const std::string& community_path) {
  v1::Account a;
  a.set_kind(v1::ACCOUNT_KIND_SUPERMARKET);
  a.set_community_path(community_path);
  return a;
}

}  // namespace

absl::StatusOr<v1::Good> SupermarketStore::CreateGood(const std::string& scope,
                                                      const WriteContext& write,
                                                      const v1::Good& requested) {
  if (!PathWithin(requested.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "good.community_path lies outside the caller's jurisdiction");
  }
  v1::Good made = requested;
  made.set_id(NewId("gs", write.now));
  made.set_stock(requested.initial_stock());
  made.set_restocked(0);
  made.set_redeemed(0);
  made.set_cancelled(0);
  ToProtoTime(Micros(write.now), made.mutable_create_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto& insert = c.Prepare(
            "INSERT INTO goods (id, community_path, display_name, price, initial_stock, restocked,"
            " stock, redeemed, cancelled, create_time) VALUES (?, ?, ?, ?, ?, 0, ?, 0, 0, ?)");
        insert.setString(1, made.id());
        insert.setString(2, made.community_path());
        insert.setString(3, made.display_name());
        insert.setInt64(4, made.price());
        insert.setInt64(5, made.initial_stock());
        insert.setInt64(6, made.stock());
        insert.setString(7, db::ToDbTime(write.now));
        if (auto s = InsertCreated(c, changes_, write, insert, made.id(), made.community_path(),
                                   made, "GOOD_EXISTS",
                                   absl::StrCat("good.display_name: ", made.community_path(),
                                                " already sells ", made.display_name()));
            !s.ok()) {
          return s;
        }
        LedgerStore::EnsureAccount(c, changes_, write, SupermarketAccount(made.community_path()));
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty(), .read_committed = true});
  if (status.ok()) return made;
  return EarlierResultOr<v1::Good>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Good> SupermarketStore::GetGood(const std::string& scope,
                                                   const std::string& id) {
  std::optional<v1::Good> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindGood(c, scope, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "", "good", "GOOD_NOT_FOUND");
  return *found;
}

absl::StatusOr<GoodPage> SupermarketStore::ListGoods(const std::string& scope,
                                                     const std::string& community_path,
                                                     int page_size, const std::string& after_id) {
  if (!PathWithin(community_path, scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "community_path lies outside the caller's jurisdiction");
  }
  GoodPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(absl::StrCat(
        kGoodColumns, " WHERE g.community_path = ? AND g.id > ? ORDER BY g.id LIMIT ?"));
    select.setString(1, community_path);
    select.setString(2, after_id);
    select.setInt(3, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.goods.push_back(ReadGood(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.goods.size()) > page_size) {
    page.goods.pop_back();
    page.last_id = page.goods.back().id();
  }
  return page;
}

absl::StatusOr<v1::Good> SupermarketStore::Restock(const std::string& scope,
                                                   const WriteContext& write,
                                                   const std::string& good_id, int64_t quantity) {
  v1::Good after;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto before = FindGood(c, scope, good_id);
        if (!before) return Hidden(scope, "good_id", "good", "GOOD_NOT_FOUND");
        MoveStock(c, good_id, "restocked", quantity, /*take=*/false);
        after = *FindGood(c, scope, good_id);
        changes_.Append(
            c, write,
            {after.id(), common::v1::Change::UPDATED, after.community_path(), &after, &*before});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = true, .read_committed = true});
  if (status.ok()) return after;
  return EarlierResultOr<v1::Good>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Redemption> SupermarketStore::Redeem(const std::string& scope,
                                                        const WriteContext& write,
                                                        const v1::Redemption& requested) {
  v1::Redemption result;
  absl::Status status =
      LedgerStore::RunLedgerTransaction(pool_, [&](db::Connection& c) -> absl::Status {
        if (auto found = FindRedemption(c, requested.id())) {
          return Assign(Earlier(scope, *found, requested), &result);
        }
        auto good = FindGood(c, scope, requested.good_id());
        if (!good) return Hidden(scope, "redemption.good_id", "good", "GOOD_NOT_FOUND");
        auto volunteer = VolunteerStore::FindInScope(c, scope, requested.volunteer_id());
        if (!volunteer) {
          return Hidden(scope, "redemption.volunteer_id", "volunteer", "VOLUNTEER_NOT_FOUND");
        }
        result = requested;
        result.set_points(good->price() * requested.quantity());
        result.set_state(v1::REDEMPTION_REDEEMED);
        result.set_community_path(good->community_path());
        result.set_transfer_id(RedemptionTransferId(requested.id()));
        ToProtoTime(Micros(write.now), result.mutable_create_time());
        ToProtoTime(Micros(write.now), result.mutable_update_time());
        v1::Transfer debit;
        debit.set_id(result.transfer_id());
        debit.set_debit_account_id(volunteer->account_id());
        debit.set_credit_account_id(
            LedgerStore::EnsureAccount(c, changes_, write,
                                       SupermarketAccount(good->community_path()))
                .id());
        debit.set_amount(result.points());
        debit.set_memo(absl::StrCat(requested.quantity(), " x ", good->display_name()));
        auto applied = LedgerStore::Apply(c, changes_, "", write, {debit}, "redemption");
        // A concurrent request under the same id got the locks first and
        // committed: answer as it did.
        if (auto found = FindRedemption(c, requested.id())) {
          return Assign(Earlier(scope, *found, requested), &result);
        }
        if (!applied.ok()) return applied.status();
        if (!MoveStock(c, good->id(), "redeemed", requested.quantity(), /*take=*/true)) {
          // Returning an error rolls the ledger's debit back with it.
          return FailedPrecondition(
              "OUT_OF_STOCK",
              absl::StrCat("redemption.quantity: ", good->display_name(), " has fewer than ",
                           requested.quantity(), " items in stock"));
        }
        auto& insert = c.Prepare(
            "INSERT INTO redemptions (id, good_id, volunteer_id, community_path, quantity, points,"
            " state, actor, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, result.id());
        insert.setString(2, result.good_id());
        insert.setString(3, result.volunteer_id());
        insert.setString(4, result.community_path());
        insert.setInt64(5, result.quantity());
        insert.setInt64(6, result.points());
        insert.setInt(7, result.state());
        insert.setString(8, write.actor);
        insert.setString(9, db::ToDbTime(write.now));
        insert.setString(10, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {result.id(), common::v1::Change::CREATED, result.community_path(), &result, nullptr});
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Redemption> SupermarketStore::Cancel(const std::string& scope,
                                                        const WriteContext& write,
                                                        const std::string& id) {
  v1::Redemption result;
  absl::Status status =
      LedgerStore::RunLedgerTransaction(pool_, [&](db::Connection& c) -> absl::Status {
        auto before = FindRedemption(c, id, " FOR UPDATE");
        if (!before || !PathWithin(before->community_path(), scope)) {
          return Hidden(scope, "", "redemption", "REDEMPTION_NOT_FOUND");
        }
        result = *before;
        if (before->state() == v1::REDEMPTION_CANCELLED) return absl::OkStatus();
        auto original = LedgerStore::FindTransfer(c, before->transfer_id());
        if (!original) {
          return Internal("REDEMPTION_TRANSFER_MISSING",
                          absl::StrCat("redemption ", id, " has no ledger transfer"));
        }
        auto applied = LedgerStore::Apply(
            c, changes_, "", write,
            {ReversalOf(*original, CancellationTransferId(id), absl::StrCat("cancelled: ", id))},
            "id");
        if (!applied.ok()) return applied.status();
        MoveStock(c, before->good_id(), "cancelled", before->quantity(), /*take=*/false);
        result.set_state(v1::REDEMPTION_CANCELLED);
        result.set_reversal_transfer_id(CancellationTransferId(id));
        ToProtoTime(Micros(write.now), result.mutable_update_time());
        auto& update = c.Prepare("UPDATE redemptions SET state = ?, update_time = ? WHERE id = ?");
        update.setInt(1, result.state());
        update.setString(2, db::ToDbTime(write.now));
        update.setString(3, id);
        update.executeUpdate();
        changes_.Append(
            c, write,
            {result.id(), common::v1::Change::UPDATED, result.community_path(), &result, &*before});
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Redemption> SupermarketStore::GetRedemption(const std::string& scope,
                                                               const std::string& id) {
  std::optional<v1::Redemption> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindRedemption(c, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found || !PathWithin(found->community_path(), scope)) {
    return Hidden(scope, "", "redemption", "REDEMPTION_NOT_FOUND");
  }
  return *found;
}

}  // namespace grassroots::volunteer
