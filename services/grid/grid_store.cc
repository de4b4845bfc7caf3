#include "services/grid/grid_store.h"

#include <cppconn/exception.h>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/grid_rules.h"
#include "services/grid/scope_errors.h"

namespace grassroots::grid {
namespace {

constexpr char kColumns[] =
    "SELECT g.id, g.code, g.display_name, g.community_id, g.path, g.version, g.create_time,"
    " g.update_time FROM grids g";

v1::Grid ReadGrid(sql::ResultSet& r) {
  v1::Grid g;
  g.set_id(r.getString(1));
  g.set_code(r.getString(2));
  g.set_display_name(r.getString(3));
  g.set_community_id(r.getString(4));
  g.set_path(r.getString(5));
  g.set_etag(EtagOf(r.getInt64(6)));
  ToProtoTime(db::FromDbTime(r.getString(7)), g.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(8)), g.mutable_update_time());
  return g;
}

std::optional<v1::Grid> FindBy(db::Connection& c, const char* column, const std::string& scope,
                               const std::string& value, const char* lock) {
  auto& select =
      c.Prepare(absl::StrCat(kColumns, " WHERE g.", column, " = ?", db::InScope("g.path"), lock));
  select.setString(1, value);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadGrid(*rows);
}

}  // namespace

std::optional<v1::Grid> GridStore::FindInScope(db::Connection& c, const std::string& scope,
                                               const std::string& id, const char* lock) {
  return FindBy(c, "id", scope, id, lock);
}

std::optional<v1::Grid> GridStore::FindByPathInScope(db::Connection& c, const std::string& scope,
                                                     const std::string& path, const char* lock) {
  return FindBy(c, "path", scope, path, lock);
}

absl::flat_hash_map<std::string, v1::Grid> GridStore::FindMany(db::Connection& c,
                                                               const std::vector<std::string>& ids,
                                                               const char* lock) {
  absl::flat_hash_map<std::string, v1::Grid> found;
  db::ForEachRowIn(c, absl::StrCat(kColumns, " WHERE g.id"), ids, lock, [&](sql::ResultSet& row) {
    v1::Grid grid = ReadGrid(row);
    std::string id = grid.id();
    found.emplace(std::move(id), std::move(grid));
  });
  return found;
}

absl::StatusOr<v1::Grid> GridStore::Create(const std::string& scope, const WriteContext& write,
                                           const v1::Grid& requested,
                                           const std::string& community_path) {
  v1::Grid created;
  created.set_id(NewId("gd", write.now));
  created.set_code(requested.code());
  created.set_display_name(requested.display_name());
  created.set_community_id(requested.community_id());
  created.set_path(GridPath(community_path, requested.code()));
  created.set_etag(EtagOf(1));
  ToProtoTime(write.now, created.mutable_create_time());
  ToProtoTime(write.now, created.mutable_update_time());
  // orgs applied the caller's scope to the community; the grid's own path
  // is checked here too, as every service enforces scope itself.
  if (!PathWithin(created.path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "grid.community_id lies outside the caller's jurisdiction");
  }
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto& insert = c.Prepare(
            "INSERT INTO grids (id, code, display_name, community_id, path, version, create_time,"
            " update_time) VALUES (?, ?, ?, ?, ?, 1, ?, ?)");
        insert.setString(1, created.id());
        insert.setString(2, created.code());
        insert.setString(3, created.display_name());
        insert.setString(4, created.community_id());
        insert.setString(5, created.path());
        insert.setString(6, db::ToDbTime(write.now));
        insert.setString(7, db::ToDbTime(write.now));
        try {
          insert.executeUpdate();
          changes_.Append(
              c, write,
              {created.id(), common::v1::Change::CREATED, created.path(), &created, nullptr});
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          return AlreadyExists("GRID_EXISTS",
                               absl::StrCat("community ", community_path,
                                            " already has a grid with code ", requested.code()));
        }
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Grid>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Grid> GridStore::EarlierCreate(const WriteContext& write, absl::Status failure) {
  return EarlierResultOr<v1::Grid>(pool_, changes_, write, std::move(failure));
}

absl::StatusOr<v1::Grid> GridStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Grid> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindInScope(c, scope, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenRecord(scope, "grid", "GRID_NOT_FOUND");
  return *found;
}

absl::StatusOr<GridPage> GridStore::List(const std::string& scope, const std::string& community_id,
                                         int page_size, const std::string& after_path) {
  GridPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(absl::StrCat(kColumns, " WHERE g.path > ?", db::InScope("g.path"),
                                          community_id.empty() ? "" : " AND g.community_id = ?",
                                          " ORDER BY g.path LIMIT ?"));
    select.setString(1, after_path);
    int index = db::BindScope(select, 2, scope);
    if (!community_id.empty()) select.setString(index++, community_id);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.grids.push_back(ReadGrid(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.grids.size()) > page_size) {
    page.grids.pop_back();
    page.last_path = page.grids.back().path();
  }
  return page;
}

absl::StatusOr<v1::Grid> GridStore::Update(const std::string& scope, const WriteContext& write,
                                           const v1::Grid& changes,
                                           const std::vector<std::string>& fields) {
  v1::Grid updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindInScope(c, scope, changes.id(), " FOR UPDATE");
    if (!before) return HiddenRecord(scope, "grid", "GRID_NOT_FOUND");
    const int64_t version = VersionOf(before->etag());
    if (auto s = CheckEtag("grid.etag", changes.etag(), version, "the grid"); !s.ok()) return s;
    updated = *before;
    for (const std::string& field : fields) {
      if (field == "display_name") updated.set_display_name(changes.display_name());
    }
    updated.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE grids SET display_name = ?, version = version + 1, update_time = ? WHERE id = ?");
    update.setString(1, updated.display_name());
    update.setString(2, db::ToDbTime(write.now));
    update.setString(3, updated.id());
    update.executeUpdate();
    changes_.Append(
        c, write, {updated.id(), common::v1::Change::UPDATED, updated.path(), &updated, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

}  // namespace grassroots::grid
