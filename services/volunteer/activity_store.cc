#include "services/volunteer/activity_store.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/volunteer/created_record.h"
#include "services/volunteer/ledger_store.h"
#include "services/volunteer/scope_errors.h"
#include "services/volunteer/volunteer_store.h"

namespace grassroots::volunteer {
namespace {

constexpr char kColumns[] =
    "SELECT a.id, a.community_path, a.team_id, a.title, a.activity_type, a.place, a.start_time,"
    " a.end_time, a.capacity, a.signed_up, a.organiser, a.create_time FROM activities a";

v1::Activity ReadActivity(sql::ResultSet& r) {
  v1::Activity a;
  a.set_id(r.getString(1));
  a.set_community_path(r.getString(2));
  if (!r.isNull(3)) a.set_team_id(r.getString(3));
  a.set_title(r.getString(4));
  a.set_activity_type(r.getString(5));
  a.set_place(r.getString(6));
  ToProtoTime(db::FromDbTime(r.getString(7)), a.mutable_start_time());
  ToProtoTime(db::FromDbTime(r.getString(8)), a.mutable_end_time());
  a.set_capacity(r.getInt(9));
  a.set_signed_up(r.getInt(10));
  a.set_organiser(r.getString(11));
  ToProtoTime(db::FromDbTime(r.getString(12)), a.mutable_create_time());
  return a;
}

absl::Time Micros(absl::Time t) { return absl::FromUnixMicros(absl::ToUnixMicros(t)); }

}  // namespace

std::optional<v1::Activity> ActivityStore::FindInScope(db::Connection& c, const std::string& scope,
                                                       const std::string& id, const char* lock) {
  auto& select =
      c.Prepare(absl::StrCat(kColumns, " WHERE a.id = ?", db::InScope("a.community_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadActivity(*rows);
}

v1::PointsRule ActivityStore::RuleFor(db::Connection& c, const std::string& community_path,
                                      const std::string& activity_type) {
  auto& select = c.Prepare(
      "SELECT activity_type, points_per_hour, points_per_activity, points_per_good_deed FROM"
      " points_rules WHERE community_path = ? AND activity_type IN (?, '*')"
      " ORDER BY activity_type = '*' LIMIT 1");
  select.setString(1, community_path);
  select.setString(2, activity_type);
  auto rows = c.Query(select);
  v1::PointsRule rule;
  rule.set_community_path(community_path);
  rule.set_activity_type(activity_type);
  if (rows->next()) {
    rule.set_activity_type(rows->getString(1));
    rule.set_points_per_hour(rows->getInt64(2));
    rule.set_points_per_activity(rows->getInt64(3));
    rule.set_points_per_good_deed(rows->getInt64(4));
  }
  return rule;
}

absl::StatusOr<v1::Activity> ActivityStore::Create(const std::string& scope,
                                                   const WriteContext& write,
                                                   const v1::Activity& requested) {
  if (!PathWithin(requested.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "activity.community_path lies outside the caller's jurisdiction");
  }
  v1::Activity made = requested;
  made.set_id(NewId("ac", write.now));
  made.set_signed_up(0);
  made.set_organiser(write.actor);
  ToProtoTime(Micros(FromProtoTime(requested.start_time())), made.mutable_start_time());
  ToProtoTime(Micros(FromProtoTime(requested.end_time())), made.mutable_end_time());
  ToProtoTime(Micros(write.now), made.mutable_create_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        if (!made.team_id().empty()) {
          auto team = VolunteerStore::FindTeamInScope(c, scope, made.team_id());
          if (!team) return Hidden(scope, "activity.team_id", "team", "TEAM_NOT_FOUND");
          if (team->community_path() != made.community_path()) {
            return InvalidField("activity.team_id", "TEAM_ELSEWHERE",
                                absl::StrCat("the team belongs to ", team->community_path()));
          }
        }
        auto& insert = c.Prepare(
            "INSERT INTO activities (id, community_path, team_id, title, activity_type, place,"
            " start_time, end_time, capacity, signed_up, organiser, create_time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)");
        insert.setString(1, made.id());
        insert.setString(2, made.community_path());
        SetStringOrNull(insert, 3, made.team_id());
        insert.setString(4, made.title());
        insert.setString(5, made.activity_type());
        insert.setString(6, made.place());
        insert.setString(7, db::ToDbTime(FromProtoTime(made.start_time())));
        insert.setString(8, db::ToDbTime(FromProtoTime(made.end_time())));
        insert.setInt(9, made.capacity());
        insert.setString(10, made.organiser());
        insert.setString(11, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {made.id(), common::v1::Change::CREATED, made.community_path(), &made, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return made;
  return EarlierResultOr<v1::Activity>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Activity> ActivityStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Activity> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindInScope(c, scope, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "", "activity", "ACTIVITY_NOT_FOUND");
  return *found;
}

absl::StatusOr<v1::PointsRule> ActivityStore::SetRule(const std::string& scope,
                                                      const WriteContext& write,
                                                      const v1::PointsRule& rule) {
  if (!PathWithin(rule.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "rule.community_path lies outside the caller's jurisdiction");
  }
  v1::PointsRule set = rule;
  ToProtoTime(Micros(write.now), set.mutable_update_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) {
        auto& upsert = c.Prepare(
            "INSERT INTO points_rules (community_path, activity_type, points_per_hour,"
            " points_per_activity, update_time, points_per_good_deed) VALUES (?, ?, ?, ?, ?, ?)"
            " ON DUPLICATE KEY UPDATE points_per_hour = VALUES(points_per_hour),"
            " points_per_activity = VALUES(points_per_activity), update_time = "
            "VALUES(update_time), points_per_good_deed = VALUES(points_per_good_deed)");
        upsert.setString(1, set.community_path());
        upsert.setString(2, set.activity_type());
        upsert.setInt64(3, set.points_per_hour());
        upsert.setInt64(4, set.points_per_activity());
        upsert.setString(5, db::ToDbTime(write.now));
        upsert.setInt64(6, set.points_per_good_deed());
        // One row affected: inserted; two (or none, unchanged): an update.
        const bool replaced = upsert.executeUpdate() != 1;
        changes_.Append(c, write,
                        {set.activity_type(),
                         replaced ? common::v1::Change::UPDATED : common::v1::Change::CREATED,
                         set.community_path(), &set, nullptr});
        v1::Account issuing;
        issuing.set_kind(v1::ACCOUNT_KIND_ISSUING);
        issuing.set_community_path(set.community_path());
        LedgerStore::EnsureAccount(c, changes_, write, issuing);
        return absl::OkStatus();
      },
      db::TransactionOptions{.read_committed = true});
  if (!status.ok()) return status;
  return set;
}

absl::StatusOr<std::vector<v1::PointsRule>> ActivityStore::ListRules(
    const std::string& scope, const std::string& community_path) {
  if (!PathWithin(community_path, scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "community_path lies outside the caller's jurisdiction");
  }
  std::vector<v1::PointsRule> rules;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(
        "SELECT activity_type, points_per_hour, points_per_activity, update_time,"
        " points_per_good_deed FROM points_rules WHERE community_path = ? ORDER BY"
        " activity_type");
    select.setString(1, community_path);
    auto rows = c.Query(select);
    while (rows->next()) {
      v1::PointsRule& r = rules.emplace_back();
      r.set_community_path(community_path);
      r.set_activity_type(rows->getString(1));
      r.set_points_per_hour(rows->getInt64(2));
      r.set_points_per_activity(rows->getInt64(3));
      ToProtoTime(db::FromDbTime(rows->getString(4)), r.mutable_update_time());
      r.set_points_per_good_deed(rows->getInt64(5));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return rules;
}

}  // namespace grassroots::volunteer
