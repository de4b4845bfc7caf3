#include "services/grid/unit_store.h"

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
#include "services/grid/building_store.h"
#include "services/grid/scope_errors.h"

namespace grassroots::grid {
namespace {

constexpr char kSelect[] =
    "SELECT id, building_id, grid_id, compound_id, grid_path, display_name, version, create_time,"
    " update_time FROM units";

v1::Unit ReadUnit(sql::ResultSet& r) {
  v1::Unit u;
  u.set_id(r.getString(1));
  u.set_building_id(r.getString(2));
  u.set_grid_id(r.getString(3));
  u.set_compound_id(r.getString(4));
  u.set_grid_path(r.getString(5));
  u.set_display_name(r.getString(6));
  u.set_etag(EtagOf(r.getInt64(7)));
  ToProtoTime(db::FromDbTime(r.getString(8)), u.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(9)), u.mutable_update_time());
  return u;
}

absl::Status NameTaken(const std::string& name) {
  return AlreadyExists("UNIT_EXISTS", absl::StrCat("the building already has a unit named ", name));
}

v1::Unit NewUnit(const WriteContext& write, const v1::Building& building, const std::string& name) {
  v1::Unit u;
  u.set_id(NewId("un", write.now));
  u.set_building_id(building.id());
  u.set_grid_id(building.grid_id());
  u.set_compound_id(building.compound_id());
  u.set_grid_path(building.grid_path());
  u.set_display_name(name);
  u.set_etag(EtagOf(1));
  ToProtoTime(write.now, u.mutable_create_time());
  ToProtoTime(write.now, u.mutable_update_time());
  return u;
}

// Inserts the unit with its change row; false when the name is taken.
bool Insert(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
            const v1::Unit& u) {
  auto& insert = c.Prepare(
      "INSERT INTO units (id, building_id, grid_id, compound_id, grid_path, display_name,"
      " version, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)");
  insert.setString(1, u.id());
  insert.setString(2, u.building_id());
  insert.setString(3, u.grid_id());
  insert.setString(4, u.compound_id());
  insert.setString(5, u.grid_path());
  insert.setString(6, u.display_name());
  insert.setString(7, db::ToDbTime(write.now));
  insert.setString(8, db::ToDbTime(write.now));
  try {
    insert.executeUpdate();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != db::kDuplicateKey) throw;
    return false;
  }
  changes.Append(c, write, {u.id(), common::v1::Change::CREATED, u.grid_path(), &u, nullptr});
  return true;
}

}  // namespace

std::optional<v1::Unit> UnitStore::FindInScope(db::Connection& c, const std::string& scope,
                                               const std::string& id, const char* lock) {
  auto& select = c.Prepare(absl::StrCat(kSelect, " WHERE id = ?", db::InScope("grid_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadUnit(*rows);
}

v1::Unit UnitStore::FindOrCreate(db::Connection& c, const ChangeLog& changes,
                                 const WriteContext& write, const v1::Building& building,
                                 const std::string& name) {
  auto& select =
      c.Prepare(absl::StrCat(kSelect, " WHERE building_id = ? AND display_name = ? FOR UPDATE"));
  select.setString(1, building.id());
  select.setString(2, name);
  // The locking read holds the name's gap, so the insert cannot meet a
  // concurrent one; a second look covers the impossible anyway.
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      auto rows = c.Query(select);
      if (rows->next()) return ReadUnit(*rows);
    }
    v1::Unit u = NewUnit(write, building, name);
    if (Insert(c, changes, write, u)) return u;
  }
  throw std::runtime_error("a name was neither found nor free");
}

absl::StatusOr<v1::Unit> UnitStore::Create(const std::string& scope, const WriteContext& write,
                                           const v1::Unit& requested) {
  v1::Unit created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto building =
            BuildingStore::FindInScope(c, scope, requested.building_id(), " LOCK IN SHARE MODE");
        if (!building) {
          return HiddenReference(scope, "unit.building_id", "building", "BUILDING_NOT_FOUND");
        }
        created = NewUnit(write, *building, requested.display_name());
        if (!Insert(c, changes_, write, created)) return NameTaken(requested.display_name());
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Unit>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Unit> UnitStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Unit> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindInScope(c, scope, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenRecord(scope, "unit", "UNIT_NOT_FOUND");
  return *found;
}

absl::StatusOr<UnitPage> UnitStore::List(const std::string& scope, const std::string& building_id,
                                         int page_size, const std::string& after_id) {
  UnitPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (!BuildingStore::FindInScope(c, scope, building_id)) {
      return HiddenReference(scope, "building_id", "building", "BUILDING_NOT_FOUND");
    }
    auto& select = c.Prepare(absl::StrCat(kSelect, " WHERE building_id = ? AND id > ?",
                                          db::InScope("grid_path"), " ORDER BY id LIMIT ?"));
    select.setString(1, building_id);
    select.setString(2, after_id);
    const int index = db::BindScope(select, 3, scope);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.units.push_back(ReadUnit(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.units.size()) > page_size) {
    page.units.pop_back();
    page.last_id = page.units.back().id();
  }
  return page;
}

absl::StatusOr<v1::Unit> UnitStore::Update(const std::string& scope, const WriteContext& write,
                                           const v1::Unit& changes,
                                           const std::vector<std::string>& fields) {
  v1::Unit updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindInScope(c, scope, changes.id(), " FOR UPDATE");
    if (!before) return HiddenRecord(scope, "unit", "UNIT_NOT_FOUND");
    const int64_t version = VersionOf(before->etag());
    if (auto s = CheckEtag("unit.etag", changes.etag(), version, "the unit"); !s.ok()) return s;
    updated = *before;
    for (const std::string& field : fields) {
      if (field == "display_name") updated.set_display_name(changes.display_name());
    }
    updated.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE units SET display_name = ?, version = version + 1, update_time = ? WHERE id = ?");
    update.setString(1, updated.display_name());
    update.setString(2, db::ToDbTime(write.now));
    update.setString(3, updated.id());
    try {
      update.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != db::kDuplicateKey) throw;
      return NameTaken(updated.display_name());
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
