#include "services/dualreg/post_store.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/auth/path_to_read.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/paging/page_token.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/dualreg/hidden.h"
#include "services/dualreg/post_rules.h"

namespace grassroots::dualreg {
namespace {

constexpr char kPostColumns[] =
    "id, community_id, community_path, type, title, description, capacity, claimed, version,"
    " create_time";
constexpr char kPairingColumns[] =
    "id, registration_id, member_id, community_path, household_id, need, visit_interval_days,"
    " visits, last_visit_time, start_time, active_registration_id IS NOT NULL";

v1::Post PostFrom(sql::ResultSet& r) {
  v1::Post p;
  p.set_id(r.getString(1));
  p.set_community_id(r.getString(2));
  p.set_community_path(r.getString(3));
  p.set_type(r.getString(4));
  p.set_title(r.getString(5));
  p.set_description(r.getString(6));
  p.set_capacity(r.getInt(7));
  p.set_claimed(r.getInt(8));
  p.set_etag(EtagOf(r.getInt64(9)));
  ToProtoTime(db::FromDbTime(r.getString(10)), p.mutable_create_time());
  return p;
}

v1::Pairing PairingFrom(sql::ResultSet& r) {
  v1::Pairing p;
  p.set_id(r.getString(1));
  p.set_registration_id(r.getString(2));
  p.set_member_id(r.getString(3));
  p.set_community_path(r.getString(4));
  p.set_household_id(r.getString(5));
  p.set_need(static_cast<v1::NeedKind>(r.getInt(6)));
  p.set_visit_interval_days(r.getInt(7));
  p.set_visits(r.getInt(8));
  if (!r.isNull(9)) ToProtoTime(db::FromDbTime(r.getString(9)), p.mutable_last_visit_time());
  ToProtoTime(db::FromDbTime(r.getString(10)), p.mutable_start_time());
  p.set_active(r.getBoolean(11));
  return p;
}

// The active registration (member and community) a claim or pairing names.
struct RegistrationRef {
  std::string member_id;
  std::string community_path;
};

std::optional<RegistrationRef> ActiveRegistration(db::Connection& c, const std::string& id) {
  auto& select = c.Prepare(
      "SELECT member_id, community_path FROM member_registrations WHERE id = ? AND withdrawn ="
      " FALSE LOCK IN SHARE MODE");
  select.setString(1, id);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return RegistrationRef{rows->getString(1), rows->getString(2)};
}

}  // namespace

absl::StatusOr<v1::Post> PostStore::CreatePost(const std::string& scope, const WriteContext& write,
                                               v1::Post post) {
  if (!PathWithin(post.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "post.community_id lies outside the caller's jurisdiction");
  }
  post.set_id(NewId("ps_", write.now));
  post.set_claimed(0);
  post.set_etag(EtagOf(1));
  ToProtoTime(write.now, post.mutable_create_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) {
        auto& insert = c.Prepare(
            "INSERT INTO posts (id, community_id, community_path, type, title, description,"
            " capacity, claimed, version, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1, ?)");
        insert.setString(1, post.id());
        insert.setString(2, post.community_id());
        insert.setString(3, post.community_path());
        insert.setString(4, post.type());
        insert.setString(5, post.title());
        insert.setString(6, post.description());
        insert.setInt(7, post.capacity());
        insert.setString(8, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(c, write,
                        {post.id(), common::v1::Change::CREATED, post.community_path(), &post});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return post;
  return EarlierResultOr<v1::Post>(pool_, changes_, write, status);
}

absl::StatusOr<v1::PostClaim> PostStore::Claim(const std::string& scope, const WriteContext& write,
                                               const v1::ClaimPostRequest& request,
                                               const std::string& only_member) {
  v1::PostClaim claim;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat("SELECT community_path FROM posts WHERE id = ?",
                                          db::InScope("community_path")));
    select.setString(1, request.post_id());
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return Hidden(scope, "post", "POST_NOT_FOUND");
    const std::string path = rows->getString(1);
    std::optional<RegistrationRef> registration = ActiveRegistration(c, request.registration_id());
    if (!registration || registration->community_path != path) {
      return InvalidField("registration_id", "REGISTRATION_NOT_IN_COMMUNITY",
                          "registration_id is not an active registration of the post's community");
    }
    if (!only_member.empty() && registration->member_id != only_member) {
      return PermissionDenied("NOT_YOUR_REGISTRATION", "a member claims posts only as itself");
    }
    auto& take = c.Prepare(
        "UPDATE posts SET claimed = claimed + 1, version = version + 1 WHERE id = ? AND claimed"
        " < capacity");
    take.setString(1, request.post_id());
    if (take.executeUpdate() == 0) {
      return FailedPrecondition("POST_FULL", "every place of the post is claimed");
    }
    auto& insert = c.Prepare(
        "INSERT INTO post_claims (post_id, registration_id, member_id, community_path,"
        " claim_time) VALUES (?, ?, ?, ?, ?)");
    insert.setString(1, request.post_id());
    insert.setString(2, request.registration_id());
    insert.setString(3, registration->member_id);
    insert.setString(4, path);
    insert.setString(5, db::ToDbTime(write.now));
    insert.executeUpdate();
    claim.set_post_id(request.post_id());
    claim.set_registration_id(request.registration_id());
    claim.set_member_id(registration->member_id);
    claim.set_community_path(path);
    ToProtoTime(write.now, claim.mutable_claim_time());
    // The post is the record that changed (one more place taken); the claim says by whom.
    changes_.Append(c, write, {request.post_id(), common::v1::Change::UPDATED, path, &claim});
    return absl::OkStatus();
  });
  if (db::IsDuplicateKey(status)) {
    return AlreadyExists("POST_ALREADY_CLAIMED", "the member has claimed this post already");
  }
  if (!status.ok()) return status;
  return claim;
}

absl::StatusOr<v1::ListPostsResponse> PostStore::ListPosts(const std::string& scope,
                                                           const v1::ListPostsRequest& request) {
  auto path_or = PathToRead(scope, request.path());
  if (!path_or.ok()) return path_or.status();
  const std::string& path = *path_or;
  auto size = EffectivePageSize(request.page_size());
  if (!size.ok()) return size.status();
  const std::string query = absl::StrCat("posts|", path);
  std::string after;
  if (!request.page_token().empty()) {
    auto decoded = DecodePageToken(request.page_token(), query);
    if (!decoded.ok()) return decoded.status();
    after = *decoded;
  }
  v1::ListPostsResponse response;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    response.Clear();
    auto& select = c.Prepare(absl::StrCat("SELECT ", kPostColumns, " FROM posts WHERE id > ?",
                                          db::InScope("community_path"), " ORDER BY id LIMIT ?"));
    select.setString(1, after);
    const int next = db::BindScope(select, 2, path);
    select.setInt(next, *size + 1);
    auto rows = c.Query(select);
    while (rows->next()) *response.add_posts() = PostFrom(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (response.posts_size() > *size) {
    response.mutable_posts()->RemoveLast();
    response.set_next_page_token(EncodePageToken(query, response.posts(*size - 1).id()));
  }
  return response;
}

absl::StatusOr<v1::Pairing> PostStore::CreatePairing(const std::string& scope,
                                                     const WriteContext& write,
                                                     v1::Pairing pairing) {
  pairing.set_id(NewId("pr_", write.now));
  pairing.set_visit_interval_days(VisitIntervalDays(pairing));
  pairing.set_visits(0);
  pairing.set_active(true);
  pairing.clear_last_visit_time();
  ToProtoTime(write.now, pairing.mutable_start_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        std::optional<RegistrationRef> registration =
            ActiveRegistration(c, pairing.registration_id());
        if (!registration || !PathWithin(registration->community_path, scope)) {
          return InvalidField("pairing.registration_id", "REGISTRATION_NOT_FOUND",
                              "pairing.registration_id is not an active registration the "
                              "caller can see");
        }
        pairing.set_member_id(registration->member_id);
        pairing.set_community_path(registration->community_path);
        auto& insert = c.Prepare(
            "INSERT INTO pairings (id, registration_id, member_id, community_path, household_id,"
            " need, visit_interval_days, visits, last_visit_time, start_time, due_time,"
            " active_registration_id, active_household_id) VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL,"
            " ?, ?, ?, ?)");
        insert.setString(1, pairing.id());
        insert.setString(2, pairing.registration_id());
        insert.setString(3, pairing.member_id());
        insert.setString(4, pairing.community_path());
        insert.setString(5, pairing.household_id());
        insert.setInt(6, pairing.need());
        insert.setInt(7, pairing.visit_interval_days());
        insert.setString(8, db::ToDbTime(write.now));
        insert.setString(9, db::ToDbTime(NextVisitDue(write.now, pairing.visit_interval_days())));
        insert.setString(10, pairing.registration_id());
        insert.setString(11, pairing.household_id());
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {pairing.id(), common::v1::Change::CREATED, pairing.community_path(), &pairing});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return pairing;
  auto earlier = EarlierResultOr<v1::Pairing>(pool_, changes_, write, status);
  if (!earlier.ok() && db::IsDuplicateKey(earlier.status())) {
    return AlreadyExists("PAIRING_EXISTS",
                         "the member or the household is in an active pairing already");
  }
  return earlier;
}

namespace {

absl::StatusOr<v1::Pairing> ChangePairing(
    db::ConnectionPool& pool, const ChangeLog& changes, const std::string& scope,
    const WriteContext& write, const std::string& id,
    absl::FunctionRef<absl::Status(db::Connection&, v1::Pairing&)> change) {
  v1::Pairing after;
  absl::Status status = db::RunInTransaction(pool, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kPairingColumns, " FROM pairings WHERE id = ?",
                                          db::InScope("community_path"), " FOR UPDATE"));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return Hidden(scope, "pairing", "PAIRING_NOT_FOUND");
    const v1::Pairing before = PairingFrom(*rows);
    if (!before.active()) return FailedPrecondition("PAIRING_ENDED", "the pairing has ended");
    after = before;
    if (auto s = change(c, after); !s.ok()) return s;
    const absl::Time last = after.has_last_visit_time() ? FromProtoTime(after.last_visit_time())
                                                        : FromProtoTime(after.start_time());
    auto& update = c.Prepare(
        "UPDATE pairings SET visits = ?, last_visit_time = ?, due_time = ?,"
        " active_registration_id = ?, active_household_id = ? WHERE id = ?");
    update.setInt(1, after.visits());
    if (after.has_last_visit_time()) {
      update.setString(2, db::ToDbTime(FromProtoTime(after.last_visit_time())));
    } else {
      update.setNull(2, sql::DataType::VARCHAR);
    }
    update.setString(3, db::ToDbTime(NextVisitDue(last, after.visit_interval_days())));
    if (after.active()) {
      update.setString(4, after.registration_id());
      update.setString(5, after.household_id());
    } else {
      update.setNull(4, sql::DataType::VARCHAR);
      update.setNull(5, sql::DataType::VARCHAR);
    }
    update.setString(6, id);
    update.executeUpdate();
    changes.Append(c, write,
                   {id, common::v1::Change::UPDATED, after.community_path(), &after, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return after;
}

}  // namespace

absl::StatusOr<v1::Pairing> PostStore::RecordVisit(const std::string& scope,
                                                   const WriteContext& write,
                                                   const std::string& pairing_id,
                                                   absl::Time visit_time, const std::string& note,
                                                   const std::string& only_member) {
  return ChangePairing(
      pool_, changes_, scope, write, pairing_id,
      [&](db::Connection& c, v1::Pairing& p) -> absl::Status {
        if (!only_member.empty() && p.member_id() != only_member) {
          return PermissionDenied("NOT_YOUR_PAIRING", "a member records only its own visits");
        }
        p.set_visits(p.visits() + 1);
        // A visit recorded late does not move the last visit back.
        if (!p.has_last_visit_time() || FromProtoTime(p.last_visit_time()) < visit_time) {
          ToProtoTime(visit_time, p.mutable_last_visit_time());
        }
        auto& insert = c.Prepare(
            "INSERT INTO pairing_visits (pairing_id, number, visit_time, note, actor) VALUES (?,"
            " ?, ?, ?, ?)");
        insert.setString(1, p.id());
        insert.setInt(2, p.visits());
        insert.setString(3, db::ToDbTime(visit_time));
        insert.setString(4, note);
        insert.setString(5, write.actor);
        insert.executeUpdate();
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Pairing> PostStore::EndPairing(const std::string& scope,
                                                  const WriteContext& write,
                                                  const std::string& pairing_id) {
  return ChangePairing(pool_, changes_, scope, write, pairing_id,
                       [](db::Connection&, v1::Pairing& p) {
                         p.set_active(false);
                         return absl::OkStatus();
                       });
}

absl::StatusOr<v1::ListPairingsWithoutRecentVisitResponse> PostStore::WithoutRecentVisit(
    const std::string& scope, const std::string& path, absl::Time now, int limit) {
  auto where_or = PathToRead(scope, path);
  if (!where_or.ok()) return where_or.status();
  const std::string& where = *where_or;
  v1::ListPairingsWithoutRecentVisitResponse response;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    response.Clear();
    auto& select = c.Prepare(
        absl::StrCat("SELECT ", kPairingColumns,
                     " FROM pairings WHERE active_registration_id IS NOT NULL AND due_time < ?",
                     db::InScope("community_path"), " ORDER BY due_time, id LIMIT ?"));
    select.setString(1, db::ToDbTime(now));
    const int next = db::BindScope(select, 2, where);
    select.setInt(next, limit);
    auto rows = c.Query(select);
    while (rows->next()) *response.add_pairings() = PairingFrom(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

}  // namespace grassroots::dualreg
