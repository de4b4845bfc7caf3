#include "services/grid/compound_store.h"

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
#include "services/grid/grid_store.h"
#include "services/grid/scope_errors.h"

namespace grassroots::grid {
namespace {

constexpr char kSelect[] =
    "SELECT id, grid_id, grid_path, display_name, address, version, create_time, update_time"
    " FROM compounds";

v1::Compound ReadCompound(sql::ResultSet& r) {
  v1::Compound p;
  p.set_id(r.getString(1));
  p.set_grid_id(r.getString(2));
  p.set_grid_path(r.getString(3));
  p.set_display_name(r.getString(4));
  p.set_address(r.getString(5));
  p.set_etag(EtagOf(r.getInt64(6)));
  ToProtoTime(db::FromDbTime(r.getString(7)), p.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(8)), p.mutable_update_time());
  return p;
}

absl::Status NameTaken(const std::string& name) {
  return AlreadyExists("COMPOUND_EXISTS",
                       absl::StrCat("the grid already has a compound named ", name));
}

// Inserts the compound with its change row; false when the name is taken.
bool Insert(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
            const v1::Compound& compound) {
  auto& insert = c.Prepare(
      "INSERT INTO compounds (id, grid_id, grid_path, display_name, address, version,"
      " create_time, update_time) VALUES (?, ?, ?, ?, ?, 1, ?, ?)");
  insert.setString(1, compound.id());
  insert.setString(2, compound.grid_id());
  insert.setString(3, compound.grid_path());
  insert.setString(4, compound.display_name());
  insert.setString(5, compound.address());
  insert.setString(6, db::ToDbTime(write.now));
  insert.setString(7, db::ToDbTime(write.now));
  try {
    insert.executeUpdate();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != db::kDuplicateKey) throw;
    return false;
  }
  changes.Append(
      c, write,
      {compound.id(), common::v1::Change::CREATED, compound.grid_path(), &compound, nullptr});
  return true;
}

v1::Compound NewCompound(const WriteContext& write, const v1::Grid& grid, const std::string& name,
                         const std::string& address) {
  v1::Compound compound;
  compound.set_id(NewId("cp", write.now));
  compound.set_grid_id(grid.id());
  compound.set_grid_path(grid.path());
  compound.set_display_name(name);
  compound.set_address(address);
  compound.set_etag(EtagOf(1));
  ToProtoTime(write.now, compound.mutable_create_time());
  ToProtoTime(write.now, compound.mutable_update_time());
  return compound;
}

}  // namespace

std::optional<v1::Compound> CompoundStore::FindInScope(db::Connection& c, const std::string& scope,
                                                       const std::string& id, const char* lock) {
  auto& select = c.Prepare(absl::StrCat(kSelect, " WHERE id = ?", db::InScope("grid_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadCompound(*rows);
}

v1::Compound CompoundStore::FindOrCreate(db::Connection& c, const ChangeLog& changes,
                                         const WriteContext& write, const v1::Grid& grid,
                                         const std::string& name) {
  auto& select =
      c.Prepare(absl::StrCat(kSelect, " WHERE grid_id = ? AND display_name = ? FOR UPDATE"));
  select.setString(1, grid.id());
  select.setString(2, name);
  // The locking read holds the name's gap, so the insert cannot meet a
  // concurrent one; a second look covers the impossible anyway.
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      auto rows = c.Query(select);
      if (rows->next()) return ReadCompound(*rows);
    }
    v1::Compound compound = NewCompound(write, grid, name, "");
    if (Insert(c, changes, write, compound)) return compound;
  }
  throw std::runtime_error("a name was neither found nor free");
}

absl::StatusOr<v1::Compound> CompoundStore::Create(const std::string& scope,
                                                   const WriteContext& write,
                                                   const v1::Compound& requested) {
  v1::Compound created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto grid = GridStore::FindInScope(c, scope, requested.grid_id(), " LOCK IN SHARE MODE");
        if (!grid) return HiddenReference(scope, "compound.grid_id", "grid", "GRID_NOT_FOUND");
        created = NewCompound(write, *grid, requested.display_name(), requested.address());
        if (!Insert(c, changes_, write, created)) return NameTaken(requested.display_name());
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Compound>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Compound> CompoundStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Compound> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindInScope(c, scope, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenRecord(scope, "compound", "COMPOUND_NOT_FOUND");
  return *found;
}

absl::StatusOr<CompoundPage> CompoundStore::List(const std::string& scope,
                                                 const std::string& grid_id, int page_size,
                                                 const std::string& after_id) {
  CompoundPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (!GridStore::FindInScope(c, scope, grid_id)) {
      return HiddenReference(scope, "grid_id", "grid", "GRID_NOT_FOUND");
    }
    auto& select = c.Prepare(absl::StrCat(kSelect, " WHERE grid_id = ? AND id > ?",
                                          db::InScope("grid_path"), " ORDER BY id LIMIT ?"));
    select.setString(1, grid_id);
    select.setString(2, after_id);
    const int index = db::BindScope(select, 3, scope);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.compounds.push_back(ReadCompound(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.compounds.size()) > page_size) {
    page.compounds.pop_back();
    page.last_id = page.compounds.back().id();
  }
  return page;
}

absl::StatusOr<v1::Compound> CompoundStore::Update(const std::string& scope,
                                                   const WriteContext& write,
                                                   const v1::Compound& changes,
                                                   const std::vector<std::string>& fields) {
  v1::Compound updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindInScope(c, scope, changes.id(), " FOR UPDATE");
    if (!before) return HiddenRecord(scope, "compound", "COMPOUND_NOT_FOUND");
    const int64_t version = VersionOf(before->etag());
    if (auto s = CheckEtag("compound.etag", changes.etag(), version, "the compound"); !s.ok()) {
      return s;
    }
    updated = *before;
    for (const std::string& field : fields) {
      if (field == "display_name") updated.set_display_name(changes.display_name());
      if (field == "address") updated.set_address(changes.address());
    }
    updated.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE compounds SET display_name = ?, address = ?, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setString(1, updated.display_name());
    update.setString(2, updated.address());
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, updated.id());
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
