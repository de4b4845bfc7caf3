#include "services/volunteer/volunteer_store.h"

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
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/ledger_store.h"
#include "services/volunteer/scope_errors.h"
#include "services/volunteer/service_minutes.h"

namespace grassroots::volunteer {
namespace {

constexpr char kColumns[] =
    "SELECT v.id, v.community_path, v.name_masked, v.member_id, v.create_time, v.worker_id"
    " FROM volunteers v";

v1::Volunteer ReadVolunteer(sql::ResultSet& r) {
  v1::Volunteer v;
  v.set_id(r.getString(1));
  v.set_community_path(r.getString(2));
  v.set_masked_name(r.getString(3));
  if (!r.isNull(4)) v.set_member_id(r.getString(4));
  ToProtoTime(db::FromDbTime(r.getString(5)), v.mutable_create_time());
  v.set_worker_id(r.getString(6));
  v.set_account_id(AccountId(v1::ACCOUNT_KIND_VOLUNTEER, v.community_path(), v.id()));
  return v;
}

}  // namespace

std::optional<v1::Volunteer> VolunteerStore::FindInScope(db::Connection& c,
                                                         const std::string& scope,
                                                         const std::string& id) {
  auto& select =
      c.Prepare(absl::StrCat(kColumns, " WHERE v.id = ?", db::InScope("v.community_path")));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadVolunteer(*rows);
}

absl::StatusOr<v1::Volunteer> VolunteerStore::Create(const std::string& scope,
                                                     const WriteContext& write,
                                                     const v1::Volunteer& requested) {
  if (!PathWithin(requested.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "volunteer.community_path lies outside the caller's jurisdiction");
  }
  v1::Volunteer made;
  made.set_id(NewId("vl", write.now));
  made.set_community_path(requested.community_path());
  made.set_masked_name(MaskName(requested.name()));
  made.set_member_id(requested.member_id());
  made.set_worker_id(requested.worker_id());
  made.set_account_id(AccountId(v1::ACCOUNT_KIND_VOLUNTEER, made.community_path(), made.id()));
  ToProtoTime(db::FromDbTime(db::ToDbTime(write.now)), made.mutable_create_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto& insert = c.Prepare(
            "INSERT INTO volunteers (id, community_path, name_cipher, name_masked, member_id,"
            " create_time, worker_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, made.id());
        insert.setString(2, made.community_path());
        insert.setString(3, cipher_.Encrypt(requested.name(), absl::StrCat(made.id(), "/name")));
        insert.setString(4, made.masked_name());
        SetStringOrNull(insert, 5, made.member_id());
        insert.setString(6, db::ToDbTime(write.now));
        insert.setString(7, made.worker_id());
        if (auto s = InsertCreated(c, changes_, write, insert, made.id(), made.community_path(),
                                   made, "VOLUNTEER_EXISTS",
                                   absl::StrCat("volunteer.member_id: member ", made.member_id(),
                                                " is a volunteer already"));
            !s.ok()) {
          return s;
        }
        v1::Account account;
        account.set_kind(v1::ACCOUNT_KIND_VOLUNTEER);
        account.set_community_path(made.community_path());
        account.set_owner_id(made.id());
        LedgerStore::EnsureAccount(c, changes_, write, account);
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty(), .read_committed = true});
  if (status.ok()) return made;
  return EarlierResultOr<v1::Volunteer>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Volunteer> VolunteerStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Volunteer> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindInScope(c, scope, id);
    if (found) found->set_service_minutes(ServiceMinutesOf(c, id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "", "volunteer", "VOLUNTEER_NOT_FOUND");
  return *found;
}

absl::StatusOr<VolunteerPage> VolunteerStore::List(const std::string& scope,
                                                   const std::string& community_path, int page_size,
                                                   const std::string& after_id) {
  VolunteerPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(absl::StrCat(
        kColumns, " WHERE v.id > ?", db::InScope("v.community_path"),
        community_path.empty() ? "" : " AND v.community_path = ?", " ORDER BY v.id LIMIT ?"));
    select.setString(1, after_id);
    int index = db::BindScope(select, 2, scope);
    if (!community_path.empty()) select.setString(index++, community_path);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.volunteers.push_back(ReadVolunteer(*rows));
    for (v1::Volunteer& v : page.volunteers) v.set_service_minutes(ServiceMinutesOf(c, v.id()));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.volunteers.size()) > page_size) {
    page.volunteers.pop_back();
    page.last_id = page.volunteers.back().id();
  }
  return page;
}

std::optional<v1::Team> VolunteerStore::FindTeamInScope(db::Connection& c, const std::string& scope,
                                                        const std::string& id) {
  auto& select = c.Prepare(absl::StrCat(
      "SELECT t.id, t.community_path, t.display_name, t.create_time FROM teams t WHERE t.id = ?",
      db::InScope("t.community_path")));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  v1::Team team;
  team.set_id(rows->getString(1));
  team.set_community_path(rows->getString(2));
  team.set_display_name(rows->getString(3));
  ToProtoTime(db::FromDbTime(rows->getString(4)), team.mutable_create_time());
  auto& leaders =
      c.Prepare("SELECT volunteer_id FROM team_leaders WHERE team_id = ? ORDER BY volunteer_id");
  leaders.setString(1, id);
  auto led = c.Query(leaders);
  while (led->next()) team.add_leader_volunteer_ids(led->getString(1));
  return team;
}

absl::StatusOr<v1::Team> VolunteerStore::CreateTeam(const std::string& scope,
                                                    const WriteContext& write,
                                                    const v1::Team& requested) {
  if (!PathWithin(requested.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "team.community_path lies outside the caller's jurisdiction");
  }
  v1::Team made = requested;
  made.set_id(NewId("tm", write.now));
  ToProtoTime(db::FromDbTime(db::ToDbTime(write.now)), made.mutable_create_time());
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        for (int i = 0; i < made.leader_volunteer_ids_size(); ++i) {
          const std::string field = absl::StrCat("team.leader_volunteer_ids[", i, "]");
          auto leader = FindInScope(c, scope, made.leader_volunteer_ids(i));
          if (!leader) return Hidden(scope, field, "volunteer", "VOLUNTEER_NOT_FOUND");
          if (leader->community_path() != made.community_path()) {
            return InvalidField(field, "TEAM_LEADER_ELSEWHERE",
                                absl::StrCat("the volunteer belongs to ", leader->community_path(),
                                             ", not the team's ", made.community_path()));
          }
        }
        auto& insert = c.Prepare(
            "INSERT INTO teams (id, community_path, display_name, create_time) VALUES (?, ?, ?, "
            "?)");
        insert.setString(1, made.id());
        insert.setString(2, made.community_path());
        insert.setString(3, made.display_name());
        insert.setString(4, db::ToDbTime(write.now));
        if (auto s = InsertCreated(
                c, changes_, write, insert, made.id(), made.community_path(), made, "TEAM_EXISTS",
                absl::StrCat("team.display_name: ", made.community_path(),
                             " already has a team called ", made.display_name()));
            !s.ok()) {
          return s;
        }
        for (const std::string& leader : made.leader_volunteer_ids()) {
          auto& lead = c.Prepare("INSERT INTO team_leaders (team_id, volunteer_id) VALUES (?, ?)");
          lead.setString(1, made.id());
          lead.setString(2, leader);
          lead.executeUpdate();
        }
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return made;
  return EarlierResultOr<v1::Team>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Team> VolunteerStore::GetTeam(const std::string& scope, const std::string& id) {
  std::optional<v1::Team> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindTeamInScope(c, scope, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "", "team", "TEAM_NOT_FOUND");
  return *found;
}

}  // namespace grassroots::volunteer
