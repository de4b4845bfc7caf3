#include "services/dualreg/order_store.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/path_to_read.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/paging/page_token.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "grassroots/orgs/v1/co_building.pb.h"
#include "grassroots/volunteer/v1/credit.pb.h"
#include "services/dualreg/delivery_store.h"
#include "services/dualreg/hidden.h"
#include "services/dualreg/registration_rules.h"

namespace grassroots::dualreg {
namespace {

constexpr char kOrderColumns[] =
    "id, community_id, community_path, household_id, skill, description, requested_time,"
    " duration_minutes, state, ordered_by, taker_registration_id, taker_member_id,"
    " taker_volunteer_id, minutes, rating, comment, overdue, due_time, dispatch_count,"
    " credit_state, need_published, version, create_time, update_time";

struct OrderRow {
  v1::Order order;
  std::string taker_volunteer_id;
  int64_t version = 0;
};

OrderRow RowFrom(sql::ResultSet& r) {
  OrderRow row;
  v1::Order& o = row.order;
  o.set_id(r.getString(1));
  o.set_community_id(r.getString(2));
  o.set_community_path(r.getString(3));
  o.set_household_id(r.getString(4));
  o.set_skill(r.getString(5));
  o.set_description(r.getString(6));
  ToProtoTime(db::FromDbTime(r.getString(7)), o.mutable_requested_time());
  o.set_duration_minutes(r.getInt(8));
  o.set_state(static_cast<v1::OrderState>(r.getInt(9)));
  o.set_ordered_by(r.getString(10));
  o.set_taker_registration_id(r.getString(11));
  o.set_taker_member_id(r.getString(12));
  row.taker_volunteer_id = r.getString(13);
  o.set_minutes(r.getInt(14));
  o.set_rating(r.getInt(15));
  o.set_comment(r.getString(16));
  o.set_overdue(r.getBoolean(17));
  if (!r.isNull(18)) ToProtoTime(db::FromDbTime(r.getString(18)), o.mutable_due_time());
  o.set_dispatch_count(r.getInt(19));
  o.set_credit_state(static_cast<v1::CreditState>(r.getInt(20)));
  o.set_need_published(r.getString(21));
  row.version = r.getInt64(22);
  o.set_etag(EtagOf(row.version));
  ToProtoTime(db::FromDbTime(r.getString(23)), o.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(24)), o.mutable_update_time());
  return row;
}

void LoadOffers(db::Connection& c, v1::Order& order) {
  order.clear_offered_registration_ids();
  auto& select = c.Prepare(
      "SELECT registration_id FROM order_offers WHERE order_id = ? ORDER BY"
      " registration_id");
  select.setString(1, order.id());
  auto rows = c.Query(select);
  while (rows->next()) order.add_offered_registration_ids(rows->getString(1));
}

std::optional<OrderRow> FindOrder(db::Connection& c, const std::string& scope,
                                  const std::string& id, bool lock) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kOrderColumns, " FROM orders WHERE id = ?",
                                        db::InScope("community_path"), lock ? " FOR UPDATE" : ""));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  OrderRow row = RowFrom(*rows);
  LoadOffers(c, row.order);
  return row;
}

void WriteRow(db::Connection& c, const OrderRow& row, absl::Time now) {
  const v1::Order& o = row.order;
  auto& update = c.Prepare(
      "UPDATE orders SET state = ?, taker_registration_id = ?, taker_member_id = ?,"
      " taker_volunteer_id = ?, minutes = ?, rating = ?, comment = ?, overdue = ?, due_time = ?,"
      " dispatch_count = ?, credit_state = ?, version = ?, update_time = ? WHERE id = ?");
  update.setInt(1, o.state());
  update.setString(2, o.taker_registration_id());
  update.setString(3, o.taker_member_id());
  update.setString(4, row.taker_volunteer_id);
  update.setInt(5, o.minutes());
  update.setInt(6, o.rating());
  update.setString(7, o.comment());
  update.setBoolean(8, o.overdue());
  if (o.has_due_time()) {
    update.setString(9, db::ToDbTime(FromProtoTime(o.due_time())));
  } else {
    update.setNull(9, sql::DataType::VARCHAR);
  }
  update.setInt(10, o.dispatch_count());
  update.setInt(11, o.credit_state());
  update.setInt64(12, row.version);
  update.setString(13, db::ToDbTime(now));
  update.setString(14, o.id());
  update.executeUpdate();
}

// Deletes the order's offers but `keep`, one row at a time by primary key.
// `order` holds the offers as read under the order's lock (every writer of
// an order's offers holds it), so each row named exists and only its record
// is locked. A range delete (`WHERE order_id = ?`) would take next-key locks
// under REPEATABLE READ: on an order with no offers yet (a first dispatch)
// that locks the gap before the next order's rows, at the end of the index
// where every new order's offers are inserted, so concurrent dispatches
// deadlocked on each other's gaps.
void DeleteOffers(db::Connection& c, const v1::Order& order, const std::string& keep) {
  for (const std::string& registration_id : order.offered_registration_ids()) {
    if (registration_id == keep) continue;
    auto& remove = c.Prepare("DELETE FROM order_offers WHERE order_id = ? AND registration_id = ?");
    remove.setString(1, order.id());
    remove.setString(2, registration_id);
    remove.executeUpdate();
  }
}

// An active registration of the community as dispatch sees it.
struct Offer {
  std::string id;
  std::vector<std::string> skills;
  v1::MemberRegistration slots;
  int open_orders = 0;
};

std::vector<Offer> ActiveRegistrations(db::Connection& c, const std::string& community_path) {
  auto& select = c.Prepare(
      "SELECT m.id, m.skills, m.availability, (SELECT COUNT(*) FROM order_offers o WHERE"
      " o.registration_id = m.id) FROM member_registrations m WHERE m.community_path = ? AND"
      " m.withdrawn = FALSE ORDER BY m.id");
  select.setString(1, community_path);
  auto rows = c.Query(select);
  std::vector<Offer> offers;
  while (rows->next()) {
    Offer offer;
    offer.id = rows->getString(1);
    offer.skills = SplitSkills(rows->getString(2));
    offer.slots.ParseFromString(rows->getString(3));
    offer.open_orders = rows->getInt(4);
    offers.push_back(std::move(offer));
  }
  return offers;
}

std::string NeedPayload(const v1::Order& order) {
  orgs::v1::PublishNeedRequest request;
  orgs::v1::CommunityNeed* need = request.mutable_need();
  need->set_area_id(order.community_id());
  need->set_category(orgs::v1::RESOURCE_CATEGORY_VOLUNTEERS);
  need->set_description(absl::StrCat("Residents' order ", order.id(), " (", order.skill(),
                                     "): no registered member"
                                     " matched. ",
                                     order.description())
                            .substr(0, 1000));
  need->set_quantity(1);
  request.set_request_id(absl::StrCat("dualreg-need-", order.id()));
  return request.SerializeAsString();
}

}  // namespace

absl::StatusOr<v1::Order> OrderStore::Create(const std::string& scope, const WriteContext& write,
                                             v1::Order order) {
  if (!PathWithin(order.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "order.community_id lies outside the caller's jurisdiction");
  }
  order.set_id(NewId("or_", write.now));
  order.set_state(v1::ORDERED);
  order.set_ordered_by(write.actor);
  order.set_etag(EtagOf(1));
  ToProtoTime(write.now, order.mutable_create_time());
  ToProtoTime(write.now, order.mutable_update_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) {
        auto& insert = c.Prepare(
            "INSERT INTO orders (id, community_id, community_path, household_id, skill,"
            " description, requested_time, duration_minutes, state, ordered_by,"
            " taker_registration_id, taker_member_id, taker_volunteer_id, minutes, rating,"
            " comment, overdue, due_time, dispatch_count, credit_state, need_published, version,"
            " create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', 0, 0,"
            " '', FALSE, NULL, 0, 0, '', 1, ?, ?)");
        insert.setString(1, order.id());
        insert.setString(2, order.community_id());
        insert.setString(3, order.community_path());
        insert.setString(4, order.household_id());
        insert.setString(5, order.skill());
        insert.setString(6, order.description());
        insert.setString(7, db::ToDbTime(FromProtoTime(order.requested_time())));
        insert.setInt(8, order.duration_minutes());
        insert.setInt(9, v1::ORDERED);
        insert.setString(10, order.ordered_by());
        insert.setString(11, db::ToDbTime(write.now));
        insert.setString(12, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(c, write,
                        {order.id(), common::v1::Change::CREATED, order.community_path(), &order});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return order;
  return EarlierResultOr<v1::Order>(pool_, changes_, write, status);
}

namespace {

// Locks the order, checks the etag, lets `step` change it, and writes it
// with its change row.
absl::StatusOr<v1::Order> RunStep(
    db::ConnectionPool& pool, const ChangeLog& changes, const std::string& scope,
    const WriteContext& write, const std::string& id, const std::string& etag,
    absl::FunctionRef<absl::Status(db::Connection&, OrderRow&)> step) {
  v1::Order answer;
  absl::Status status = db::RunInTransaction(pool, [&](db::Connection& c) -> absl::Status {
    std::optional<OrderRow> row = FindOrder(c, scope, id, /*lock=*/true);
    if (!row) return Hidden(scope, "order", "ORDER_NOT_FOUND");
    if (auto s = CheckEtag("etag", etag, row->version, "the order"); !s.ok()) return s;
    const v1::Order before = row->order;
    if (auto s = step(c, *row); !s.ok()) return s;
    row->version += 1;
    row->order.set_etag(EtagOf(row->version));
    ToProtoTime(write.now, row->order.mutable_update_time());
    WriteRow(c, *row, write.now);
    LoadOffers(c, row->order);
    changes.Append(
        c, write,
        {id, common::v1::Change::UPDATED, row->order.community_path(), &row->order, &before});
    answer = row->order;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return answer;
}

}  // namespace

absl::StatusOr<v1::Order> OrderStore::Dispatch(const std::string& scope, const WriteContext& write,
                                               const v1::DispatchOrderRequest& request) {
  return RunStep(
      pool_, changes_, scope, write, request.id(), request.etag(),
      [&](db::Connection& c, OrderRow& row) -> absl::Status {
        v1::Order& o = row.order;
        if (auto s = CheckDispatchable(o.state(), o.overdue()); !s.ok()) return s;
        std::vector<Offer> active = ActiveRegistrations(c, o.community_path());
        std::vector<std::string> chosen;
        if (request.registration_ids_size() > 0) {
          for (const std::string& id : request.registration_ids()) {
            const bool found = std::any_of(active.begin(), active.end(),
                                           [&](const Offer& offer) { return offer.id == id; });
            if (!found) {
              return InvalidField("registration_ids", "REGISTRATION_NOT_IN_COMMUNITY",
                                  absl::StrCat("registration ", id,
                                               " is not an active registration of the order's "
                                               "community"));
            }
            chosen.push_back(id);
          }
        } else {
          std::vector<Candidate> suited;
          for (const Offer& offer : active) {
            if (OfferSuits(offer.skills, offer.slots.availability(), o.skill(),
                           FromProtoTime(o.requested_time()), o.duration_minutes(),
                           clock_.utc_offset)) {
              suited.push_back({offer.id, offer.open_orders});
            }
          }
          for (const Candidate& picked : PickCandidates(std::move(suited), MaxMembers(request))) {
            chosen.push_back(picked.registration_id);
          }
        }
        DeleteOffers(c, o, "");
        o.set_taker_registration_id("");
        o.set_taker_member_id("");
        row.taker_volunteer_id.clear();
        o.set_overdue(false);
        o.set_dispatch_count(o.dispatch_count() + 1);
        if (chosen.empty()) {
          o.set_state(v1::UNMATCHED);
          o.clear_due_time();
          DeliveryStore::Enqueue(c, DeliveryKind::kNeed, absl::StrCat("need/", o.id()), o.id(),
                                 NeedPayload(o), write.now);
          return absl::OkStatus();
        }
        for (const std::string& id : chosen) {
          auto& insert =
              c.Prepare("INSERT INTO order_offers (order_id, registration_id) VALUES (?, ?)");
          insert.setString(1, o.id());
          insert.setString(2, id);
          insert.executeUpdate();
        }
        o.set_state(v1::DISPATCHED);
        ToProtoTime(TakeDue(write.now, clock_), o.mutable_due_time());
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Order> OrderStore::Take(const std::string& scope, const WriteContext& write,
                                           const v1::TakeOrderRequest& request,
                                           const Actor& actor) {
  return RunStep(
      pool_, changes_, scope, write, request.id(), "",
      [&](db::Connection& c, OrderRow& row) -> absl::Status {
        v1::Order& o = row.order;
        const auto& offers = o.offered_registration_ids();
        const bool offered =
            std::find(offers.begin(), offers.end(), request.registration_id()) != offers.end();
        if (auto s = CheckTakeable(o.state(), offered); !s.ok()) return s;
        auto& select = c.Prepare(
            "SELECT member_id, volunteer_id FROM member_registrations WHERE id = ? AND withdrawn"
            " = FALSE LOCK IN SHARE MODE");
        select.setString(1, request.registration_id());
        auto rows = c.Query(select);
        if (!rows->next()) {
          return FailedPrecondition("REGISTRATION_WITHDRAWN",
                                    "the registration was withdrawn after the dispatch");
        }
        const std::string member_id = rows->getString(1);
        if (!actor.only_member.empty() && actor.only_member != member_id) {
          return PermissionDenied("NOT_YOUR_REGISTRATION", "a member takes orders only as itself");
        }
        DeleteOffers(c, o, request.registration_id());
        o.set_state(v1::TAKEN);
        o.set_taker_registration_id(request.registration_id());
        o.set_taker_member_id(member_id);
        row.taker_volunteer_id = rows->getString(2);
        o.set_overdue(false);
        ToProtoTime(
            CompleteDue(write.now, FromProtoTime(o.requested_time()), o.duration_minutes(), clock_),
            o.mutable_due_time());
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Order> OrderStore::Complete(const std::string& scope, const WriteContext& write,
                                               const v1::CompleteOrderRequest& request,
                                               const Actor& actor) {
  return RunStep(pool_, changes_, scope, write, request.id(), "",
                 [&](db::Connection& c, OrderRow& row) -> absl::Status {
                   v1::Order& o = row.order;
                   const bool is_taker =
                       actor.only_member.empty() || actor.only_member == o.taker_member_id();
                   if (auto s = CheckCompletable(o.state(), is_taker, request.minutes()); !s.ok()) {
                     return s;
                   }
                   DeleteOffers(c, o, "");
                   o.set_state(v1::COMPLETED);
                   o.set_minutes(request.minutes());
                   o.set_overdue(false);
                   o.clear_due_time();
                   return absl::OkStatus();
                 });
}

absl::StatusOr<v1::Order> OrderStore::Confirm(const std::string& scope, const WriteContext& write,
                                              const std::string& id, const Actor& actor) {
  return RunStep(pool_, changes_, scope, write, id, "",
                 [&](db::Connection& c, OrderRow& row) -> absl::Status {
                   v1::Order& o = row.order;
                   const bool is_orderer = actor.admin || actor.principal_id == o.ordered_by();
                   if (auto s = CheckConfirmable(o.state(), is_orderer); !s.ok()) return s;
                   o.set_state(v1::CONFIRMED);
                   o.set_credit_state(v1::CREDIT_PENDING);
                   volunteer::v1::CreditEventRequest credit;
                   volunteer::v1::Credit* body = credit.mutable_credit();
                   body->set_source("dualreg");
                   body->set_event_id(CreditEventId(o.id()));
                   body->set_volunteer_id(row.taker_volunteer_id);
                   body->set_points(points_per_order_);
                   body->set_minutes(o.minutes());
                   body->set_memo(absl::StrCat("dualreg order ", o.id(), " (", o.skill(), ")"));
                   DeliveryStore::Enqueue(c, DeliveryKind::kCredit, absl::StrCat("credit/", o.id()),
                                          o.id(), credit.SerializeAsString(), write.now);
                   return absl::OkStatus();
                 });
}

absl::StatusOr<v1::Order> OrderStore::Rate(const std::string& scope, const WriteContext& write,
                                           const v1::RateOrderRequest& request,
                                           const Actor& actor) {
  return RunStep(pool_, changes_, scope, write, request.id(), "",
                 [&](db::Connection&, OrderRow& row) -> absl::Status {
                   v1::Order& o = row.order;
                   const bool is_orderer = actor.admin || actor.principal_id == o.ordered_by();
                   if (auto s = CheckRateable(o.state(), is_orderer, request.rating()); !s.ok()) {
                     return s;
                   }
                   o.set_state(v1::RATED);
                   o.set_rating(request.rating());
                   o.set_comment(request.comment());
                   return absl::OkStatus();
                 });
}

absl::StatusOr<v1::Order> OrderStore::Get(const std::string& scope, const std::string& id) {
  std::optional<OrderRow> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindOrder(c, scope, id, /*lock=*/false);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "order", "ORDER_NOT_FOUND");
  return found->order;
}

absl::StatusOr<v1::ListOrdersResponse> OrderStore::List(const std::string& scope,
                                                        const v1::ListOrdersRequest& request) {
  auto path_or = PathToRead(scope, request.path());
  if (!path_or.ok()) return path_or.status();
  const std::string& path = *path_or;
  auto size = EffectivePageSize(request.page_size());
  if (!size.ok()) return size.status();
  const std::string query =
      absl::StrCat("orders|", path, "|", request.state(), "|", request.overdue_only());
  // Newest first: the key is "<create_time>|<id>" of the last order returned.
  std::string after_time = "9999-12-31 23:59:59.999999", after_id = "~";
  if (!request.page_token().empty()) {
    auto decoded = DecodePageToken(request.page_token(), query);
    if (!decoded.ok()) return decoded.status();
    const size_t bar = decoded->find('|');
    if (bar == std::string::npos) {
      return InvalidField("page_token", "PAGE_TOKEN_INVALID", "page_token is not from this query");
    }
    after_time = decoded->substr(0, bar);
    after_id = decoded->substr(bar + 1);
  }
  v1::ListOrdersResponse response;
  std::vector<std::string> keys;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    response.Clear();
    keys.clear();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kOrderColumns,
        " FROM orders WHERE (create_time, id) < (?, ?) AND (? = 0 OR state = ?) AND (? = FALSE OR"
        " overdue = TRUE)",
        db::InScope("community_path"), " ORDER BY create_time DESC, id DESC LIMIT ?"));
    select.setString(1, after_time);
    select.setString(2, after_id);
    select.setInt(3, request.state());
    select.setInt(4, request.state());
    select.setBoolean(5, request.overdue_only());
    const int next = db::BindScope(select, 6, path);
    select.setInt(next, *size + 1);
    auto rows = c.Query(select);
    while (rows->next()) {
      keys.push_back(
          absl::StrCat(std::string(rows->getString(23)), "|", std::string(rows->getString(1))));
      *response.add_orders() = RowFrom(*rows).order;
    }
    for (v1::Order& order : *response.mutable_orders()) LoadOffers(c, order);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (response.orders_size() > *size) {
    response.mutable_orders()->RemoveLast();
    response.set_next_page_token(EncodePageToken(query, keys[*size - 1]));
  }
  return response;
}

absl::StatusOr<v1::ServiceFigures> OrderStore::Figures(const std::string& scope,
                                                       const std::string& path) {
  auto where_or = PathToRead(scope, path);
  if (!where_or.ok()) return where_or.status();
  const std::string& where = *where_or;
  v1::ServiceFigures figures;
  figures.set_path(where);
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& members =
        c.Prepare(absl::StrCat("SELECT COUNT(*) FROM member_registrations WHERE withdrawn = FALSE",
                               db::InScope("community_path")));
    db::BindScope(members, 1, where);
    auto m = c.Query(members);
    if (m->next()) figures.set_registered_members(m->getInt64(1));
    auto& orders = c.Prepare(absl::StrCat(
        "SELECT COUNT(DISTINCT taker_member_id), COUNT(*), COUNT(DISTINCT household_id),"
        " COALESCE(SUM(minutes), 0), COALESCE(AVG(NULLIF(rating, 0)), 0) FROM orders WHERE"
        " state IN (5, 6)",
        db::InScope("community_path")));
    db::BindScope(orders, 1, where);
    auto o = c.Query(orders);
    if (o->next()) {
      figures.set_serving_members(o->getInt64(1));
      figures.set_confirmed_orders(o->getInt64(2));
      figures.set_households_served(o->getInt64(3));
      figures.set_minutes_served(o->getInt64(4));
      figures.set_mean_rating(o->getDouble(5));
    }
    auto& claims = c.Prepare(absl::StrCat(
        "SELECT COUNT(DISTINCT member_id), COUNT(DISTINCT post_id) FROM post_claims WHERE TRUE",
        db::InScope("community_path")));
    db::BindScope(claims, 1, where);
    auto p = c.Query(claims);
    if (p->next()) {
      figures.set_claiming_members(p->getInt64(1));
      figures.set_posts_claimed(p->getInt64(2));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return figures;
}

absl::StatusOr<int> OrderStore::FlagOverdue(const WriteContext& write, int limit) {
  int flagged = 0;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
    flagged = 0;
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kOrderColumns,
        " FROM orders WHERE overdue = FALSE AND due_time <= ? ORDER BY due_time LIMIT ? FOR"
        " UPDATE SKIP LOCKED"));
    select.setString(1, db::ToDbTime(write.now));
    select.setInt(2, limit);
    auto rows = c.Query(select);
    std::vector<OrderRow> due;
    while (rows->next()) due.push_back(RowFrom(*rows));
    for (OrderRow& row : due) {
      LoadOffers(c, row.order);
      const v1::Order before = row.order;
      row.order.set_overdue(true);
      row.version += 1;
      row.order.set_etag(EtagOf(row.version));
      ToProtoTime(write.now, row.order.mutable_update_time());
      WriteRow(c, row, write.now);
      changes_.Append(c, write,
                      {row.order.id(), common::v1::Change::UPDATED, row.order.community_path(),
                       &row.order, &before, /*carries_request_id=*/false});
      ++flagged;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return flagged;
}

}  // namespace grassroots::dualreg
