#include "services/grid/building_store.h"

#include <cppconn/exception.h>

#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/building_rules.h"
#include "services/grid/compound_store.h"
#include "services/grid/grid_store.h"
#include "services/grid/scope_errors.h"

namespace grassroots::grid {
namespace {

constexpr char kSelect[] =
    "SELECT id, grid_id, compound_id, grid_path, display_name, floor_count, version, create_time,"
    " update_time FROM buildings";

v1::Building ReadBuilding(sql::ResultSet& r) {
  v1::Building b;
  b.set_id(r.getString(1));
  b.set_grid_id(r.getString(2));
  b.set_compound_id(r.getString(3));
  b.set_grid_path(r.getString(4));
  b.set_display_name(r.getString(5));
  b.set_floor_count(r.getInt(6));
  b.set_etag(EtagOf(r.getInt64(7)));
  ToProtoTime(db::FromDbTime(r.getString(8)), b.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(9)), b.mutable_update_time());
  return b;
}

absl::Status NameTaken(const v1::Building& b) {
  return AlreadyExists("BUILDING_EXISTS",
                       absl::StrCat(b.compound_id().empty() ? "the grid" : "the compound",
                                    " already has a building named ", b.display_name()));
}

v1::Building NewBuilding(const WriteContext& write, const v1::Grid& grid,
                         const std::string& compound_id, const std::string& name, int floors) {
  v1::Building b;
  b.set_id(NewId("bd", write.now));
  b.set_grid_id(grid.id());
  b.set_compound_id(compound_id);
  b.set_grid_path(grid.path());
  b.set_display_name(name);
  b.set_floor_count(floors);
  b.set_etag(EtagOf(1));
  ToProtoTime(write.now, b.mutable_create_time());
  ToProtoTime(write.now, b.mutable_update_time());
  return b;
}

// Inserts the building with its change row; false when the name is taken.
bool Insert(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
            const v1::Building& b) {
  auto& insert = c.Prepare(
      "INSERT INTO buildings (id, grid_id, compound_id, grid_path, display_name, floor_count,"
      " version, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)");
  insert.setString(1, b.id());
  insert.setString(2, b.grid_id());
  insert.setString(3, b.compound_id());
  insert.setString(4, b.grid_path());
  insert.setString(5, b.display_name());
  insert.setInt(6, b.floor_count());
  insert.setString(7, db::ToDbTime(write.now));
  insert.setString(8, db::ToDbTime(write.now));
  try {
    insert.executeUpdate();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != db::kDuplicateKey) throw;
    return false;
  }
  changes.Append(c, write, {b.id(), common::v1::Change::CREATED, b.grid_path(), &b, nullptr});
  return true;
}

}  // namespace

std::optional<v1::Building> BuildingStore::FindInScope(db::Connection& c, const std::string& scope,
                                                       const std::string& id, const char* lock) {
  auto& select = c.Prepare(absl::StrCat(kSelect, " WHERE id = ?", db::InScope("grid_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadBuilding(*rows);
}

v1::Building BuildingStore::FindOrCreate(db::Connection& c, const ChangeLog& changes,
                                         const WriteContext& write, const v1::Grid& grid,
                                         const std::string& compound_id, const std::string& name) {
  auto& select = c.Prepare(absl::StrCat(
      kSelect, " WHERE grid_id = ? AND compound_id = ? AND display_name = ? FOR UPDATE"));
  select.setString(1, grid.id());
  select.setString(2, compound_id);
  select.setString(3, name);
  // The locking read holds the name's gap, so the insert cannot meet a
  // concurrent one; a second look covers the impossible anyway.
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      auto rows = c.Query(select);
      if (rows->next()) return ReadBuilding(*rows);
    }
    v1::Building b = NewBuilding(write, grid, compound_id, name, 0);
    if (Insert(c, changes, write, b)) return b;
  }
  throw std::runtime_error("a name was neither found nor free");
}

absl::StatusOr<v1::Building> BuildingStore::Create(const std::string& scope,
                                                   const WriteContext& write,
                                                   const v1::Building& requested) {
  v1::Building created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        std::string compound_grid;
        if (!requested.compound_id().empty()) {
          auto compound =
              CompoundStore::FindInScope(c, scope, requested.compound_id(), " LOCK IN SHARE MODE");
          if (!compound) {
            return HiddenReference(scope, "building.compound_id", "compound", "COMPOUND_NOT_FOUND");
          }
          compound_grid = compound->grid_id();
        }
        auto grid_id = BuildingGridId(requested.grid_id(), requested.compound_id(), compound_grid);
        if (!grid_id.ok()) return grid_id.status();
        auto grid = GridStore::FindInScope(c, scope, *grid_id, " LOCK IN SHARE MODE");
        if (!grid) return HiddenReference(scope, "building.grid_id", "grid", "GRID_NOT_FOUND");
        created = NewBuilding(write, *grid, requested.compound_id(), requested.display_name(),
                              requested.floor_count());
        if (!Insert(c, changes_, write, created)) return NameTaken(created);
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Building>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Building> BuildingStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Building> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindInScope(c, scope, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenRecord(scope, "building", "BUILDING_NOT_FOUND");
  return *found;
}

absl::StatusOr<BuildingPage> BuildingStore::List(const std::string& scope,
                                                 const BuildingsWithin& within, int page_size,
                                                 const std::string& after_id) {
  BuildingPage page;
  const bool by_compound = !within.compound_id.empty();
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (by_compound) {
      if (!CompoundStore::FindInScope(c, scope, within.compound_id)) {
        return HiddenReference(scope, "compound_id", "compound", "COMPOUND_NOT_FOUND");
      }
    } else if (!GridStore::FindInScope(c, scope, within.grid_id)) {
      return HiddenReference(scope, "grid_id", "grid", "GRID_NOT_FOUND");
    }
    auto& select = c.Prepare(
        absl::StrCat(kSelect, " WHERE ", by_compound ? "compound_id" : "grid_id", " = ? AND id > ?",
                     db::InScope("grid_path"), " ORDER BY id LIMIT ?"));
    select.setString(1, by_compound ? within.compound_id : within.grid_id);
    select.setString(2, after_id);
    const int index = db::BindScope(select, 3, scope);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.buildings.push_back(ReadBuilding(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.buildings.size()) > page_size) {
    page.buildings.pop_back();
    page.last_id = page.buildings.back().id();
  }
  return page;
}

absl::StatusOr<v1::Building> BuildingStore::Update(const std::string& scope,
                                                   const WriteContext& write,
                                                   const v1::Building& changes,
                                                   const std::vector<std::string>& fields) {
  v1::Building updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindInScope(c, scope, changes.id(), " FOR UPDATE");
    if (!before) return HiddenRecord(scope, "building", "BUILDING_NOT_FOUND");
    const int64_t version = VersionOf(before->etag());
    if (auto s = CheckEtag("building.etag", changes.etag(), version, "the building"); !s.ok()) {
      return s;
    }
    updated = *before;
    for (const std::string& field : fields) {
      if (field == "display_name") updated.set_display_name(changes.display_name());
      if (field == "floor_count") updated.set_floor_count(changes.floor_count());
    }
    updated.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE buildings SET display_name = ?, floor_count = ?, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setString(1, updated.display_name());
    update.setInt(2, updated.floor_count());
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, updated.id());
    try {
      update.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != db::kDuplicateKey) throw;
      return NameTaken(updated);
    }
    changes_.Append(
        c, write,
        {updated.id(), common::v1::Change::UPDATED, updated.grid_path(), &updated, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

}  // namespace grassroots::grid
