#include "services/grid/household_store.h"

#include <cppconn/exception.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/household_rules.h"
#include "services/grid/scope_errors.h"
#include "services/grid/unit_store.h"
#include "services/grid/update_mask.h"

namespace grassroots::grid {
namespace {

// Masked columns only: reading households never touches a ciphertext.
constexpr char kSelect[] =
    "SELECT id, unit_id, building_id, compound_id, grid_id, grid_path, address, head_name_masked,"
    " head_phone_masked, head_id_number_masked, resident_count, key_household, key_reason,"
    " visit_interval_days, version, create_time, update_time FROM households";

v1::Household ReadMasked(sql::ResultSet& r) {
  v1::Household h;
  h.set_id(r.getString(1));
  h.set_unit_id(r.getString(2));
  h.set_building_id(r.getString(3));
  h.set_compound_id(r.getString(4));
  h.set_grid_id(r.getString(5));
  h.set_grid_path(r.getString(6));
  h.set_address(r.getString(7));
  h.set_head_name(r.getString(8));
  h.set_head_phone(r.getString(9));
  h.set_head_id_number(r.getString(10));
  h.set_resident_count(r.getInt(11));
  h.set_key_household(r.getInt(12) != 0);
  h.set_key_reason(r.getString(13));
  h.set_visit_interval_days(r.getInt(14));
  h.set_etag(EtagOf(r.getInt64(15)));
  ToProtoTime(db::FromDbTime(r.getString(16)), h.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(17)), h.mutable_update_time());
  return h;
}

absl::Status DwellingTaken(const std::string& address) {
  return AlreadyExists("HOUSEHOLD_EXISTS",
                       absl::StrCat("a household is registered at ", address, " in this unit"));
}

const char* ColumnOf(HouseholdsWithin::By by) {
  switch (by) {
    case HouseholdsWithin::By::kCompound:
      return "compound_id";
    case HouseholdsWithin::By::kBuilding:
      return "building_id";
    case HouseholdsWithin::By::kUnit:
      return "unit_id";
    case HouseholdsWithin::By::kGrid:
      break;
  }
  return "grid_id";
}

// The listing's parent: its table, path column, noun and not-found reason.
struct Parent {
  const char* table;
  const char* path_column;
  const char* noun;
  const char* reason;
};

Parent ParentOf(HouseholdsWithin::By by) {
  switch (by) {
    case HouseholdsWithin::By::kCompound:
      return {"compounds", "grid_path", "compound", "COMPOUND_NOT_FOUND"};
    case HouseholdsWithin::By::kBuilding:
      return {"buildings", "grid_path", "building", "BUILDING_NOT_FOUND"};
    case HouseholdsWithin::By::kUnit:
      return {"units", "grid_path", "unit", "UNIT_NOT_FOUND"};
    case HouseholdsWithin::By::kGrid:
      break;
  }
  return {"grids", "path", "grid", "GRID_NOT_FOUND"};
}

// The head's field as a household column and its kind.
struct HeadField {
  const char* field;
  const char* column;
  PersonalKind kind;
  bool hashed;
};
constexpr HeadField kHeadFields[] = {
    {"head_name", "head_name", PersonalKind::kName, false},
    {"head_phone", "head_phone", PersonalKind::kPhone, true},
    {"head_id_number", "head_id_number", PersonalKind::kIdNumber, true},
};

const std::string& ClearOf(const v1::Household& h, absl::string_view field) {
  if (field == "head_name") return h.head_name();
  if (field == "head_phone") return h.head_phone();
  return h.head_id_number();
}

void SetMasked(v1::Household& h, absl::string_view field, const std::string& masked) {
  if (field == "head_name") h.set_head_name(masked);
  if (field == "head_phone") h.set_head_phone(masked);
  if (field == "head_id_number") h.set_head_id_number(masked);
}

}  // namespace

std::optional<v1::Household> HouseholdStore::FindInScope(db::Connection& c,
                                                         const std::string& scope,
                                                         const std::string& id, const char* lock) {
  auto& select = c.Prepare(absl::StrCat(kSelect, " WHERE id = ?", db::InScope("grid_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadMasked(*rows);
}

absl::StatusOr<v1::Household> HouseholdStore::Insert(db::Connection& c, const WriteContext& write,
                                                     const v1::Unit& unit,
                                                     const v1::Household& requested) const {
  v1::Household created = requested;
  const std::string id = NewId("hh", write.now);
  created.set_id(id);
  created.set_unit_id(unit.id());
  created.set_building_id(unit.building_id());
  created.set_compound_id(unit.compound_id());
  created.set_grid_id(unit.grid_id());
  created.set_grid_path(unit.grid_path());
  created.set_etag(EtagOf(1));
  ToProtoTime(write.now, created.mutable_create_time());
  ToProtoTime(write.now, created.mutable_update_time());
  auto& insert = c.Prepare(
      "INSERT INTO households (id, unit_id, building_id, compound_id, grid_id, grid_path, address,"
      " head_name_cipher, head_name_masked, head_phone_cipher, head_phone_masked, head_phone_hash,"
      " head_id_number_cipher, head_id_number_masked, head_id_number_hash, resident_count,"
      " key_household, key_reason, visit_interval_days, version, create_time, update_time)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
  insert.setString(1, id);
  insert.setString(2, unit.id());
  insert.setString(3, unit.building_id());
  insert.setString(4, unit.compound_id());
  insert.setString(5, unit.grid_id());
  insert.setString(6, unit.grid_path());
  insert.setString(7, requested.address());
  int index = 8;
  for (const HeadField& head : kHeadFields) {
    const SealedValue sealed =
        Seal(cipher_, head.kind, id, head.field, ClearOf(requested, head.field));
    index = BindSealed(insert, index, sealed, head.hashed);
    SetMasked(created, head.field, sealed.masked);
  }
  insert.setInt(index++, requested.resident_count());
  insert.setInt(index++, requested.key_household() ? 1 : 0);
  insert.setString(index++, requested.key_reason());
  insert.setInt(index++, requested.visit_interval_days());
  insert.setString(index++, db::ToDbTime(write.now));
  insert.setString(index, db::ToDbTime(write.now));
  try {
    insert.executeUpdate();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != db::kDuplicateKey) throw;
    return DwellingTaken(requested.address());
  }
  // The change row holds the masked household: the feed carries no clear values.
  changes_.Append(c, write,
                  {id, common::v1::Change::CREATED, created.grid_path(), &created, nullptr});
  return created;
}

absl::StatusOr<v1::Household> HouseholdStore::Create(const std::string& scope,
                                                     const WriteContext& write,
                                                     const v1::Household& requested) {
  v1::Household created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto unit = UnitStore::FindInScope(c, scope, requested.unit_id(), " LOCK IN SHARE MODE");
        if (!unit) return HiddenReference(scope, "household.unit_id", "unit", "UNIT_NOT_FOUND");
        auto inserted = Insert(c, write, *unit, requested);
        if (!inserted.ok()) return inserted.status();
        created = *std::move(inserted);
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Household>(pool_, changes_, write, status);
}

absl::StatusOr<v1::Household> HouseholdStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Household> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindInScope(c, scope, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenRecord(scope, "household", "HOUSEHOLD_NOT_FOUND");
  return *found;
}

absl::StatusOr<HouseholdPage> HouseholdStore::List(const std::string& scope,
                                                   const HouseholdsWithin& within, bool key_only,
                                                   int page_size, const std::string& after_id) {
  HouseholdPage page;
  const char* column = ColumnOf(within.by);
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    // The parent must be in scope: listing under another street's building
    // answers like asking for it.
    const Parent of = ParentOf(within.by);
    auto& parent = c.Prepare(
        absl::StrCat("SELECT 1 FROM ", of.table, " WHERE id = ?", db::InScope(of.path_column)));
    parent.setString(1, within.id);
    db::BindScope(parent, 2, scope);
    if (!c.Query(parent)->next()) return HiddenReference(scope, column, of.noun, of.reason);
    auto& select = c.Prepare(
        absl::StrCat(kSelect, " WHERE ", column, " = ? AND id > ?", db::InScope("grid_path"),
                     key_only ? " AND key_household = 1" : "", " ORDER BY id LIMIT ?"));
    select.setString(1, within.id);
    select.setString(2, after_id);
    const int index = db::BindScope(select, 3, scope);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.households.push_back(ReadMasked(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.households.size()) > page_size) {
    page.households.pop_back();
    page.last_id = page.households.back().id();
  }
  return page;
}

absl::StatusOr<v1::Household> HouseholdStore::Update(const std::string& scope,
                                                     const WriteContext& write,
                                                     const v1::Household& changes,
                                                     const std::vector<std::string>& fields) {
  v1::Household updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindInScope(c, scope, changes.id(), " FOR UPDATE");
    if (!before) return HiddenRecord(scope, "household", "HOUSEHOLD_NOT_FOUND");
    const int64_t version = VersionOf(before->etag());
    if (auto s = CheckEtag("household.etag", changes.etag(), version, "the household"); !s.ok()) {
      return s;
    }
    updated = *before;
    for (const std::string& field : fields) {
      if (field == "address") updated.set_address(changes.address());
      if (field == "resident_count") updated.set_resident_count(changes.resident_count());
      if (field == "key_household") updated.set_key_household(changes.key_household());
      if (field == "key_reason") updated.set_key_reason(changes.key_reason());
      if (field == "visit_interval_days") {
        updated.set_visit_interval_days(changes.visit_interval_days());
      }
    }
    // The head is recorded when a new name is given, or the stored one (its
    // masked form) is kept.
    const bool has_head =
        Names(fields, "head_name") ? !changes.head_name().empty() : !before->head_name().empty();
    if (auto s = ValidateHouseholdShape("household.", updated.resident_count(), has_head,
                                        updated.key_household(), updated.key_reason(),
                                        updated.visit_interval_days());
        !s.ok()) {
      return s;
    }
    std::vector<std::string> sets = {"address = ?", "resident_count = ?", "key_household = ?",
                                     "key_reason = ?", "visit_interval_days = ?"};
    std::vector<std::pair<const HeadField*, SealedValue>> heads;
    for (const HeadField& head : kHeadFields) {
      if (!Names(fields, head.field)) continue;
      SealedValue sealed =
          Seal(cipher_, head.kind, updated.id(), head.field, ClearOf(changes, head.field));
      SetMasked(updated, head.field, sealed.masked);
      sets.push_back(absl::StrCat(head.column, "_cipher = ?"));
      sets.push_back(absl::StrCat(head.column, "_masked = ?"));
      if (head.hashed) sets.push_back(absl::StrCat(head.column, "_hash = ?"));
      heads.emplace_back(&head, std::move(sealed));
    }
    updated.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(absl::StrCat("UPDATE households SET ", absl::StrJoin(sets, ", "),
                                          ", version = version + 1, update_time = ? WHERE id = ?"));
    update.setString(1, updated.address());
    update.setInt(2, updated.resident_count());
    update.setInt(3, updated.key_household() ? 1 : 0);
    update.setString(4, updated.key_reason());
    update.setInt(5, updated.visit_interval_days());
    int index = 6;
    for (const auto& [head, sealed] : heads)
      index = BindSealed(update, index, sealed, head->hashed);
    update.setString(index++, db::ToDbTime(write.now));
    update.setString(index, updated.id());
    try {
      update.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != db::kDuplicateKey) throw;
      return DwellingTaken(updated.address());
    }
    changes_.Append(
        c, write,
        {updated.id(), common::v1::Change::UPDATED, updated.grid_path(), &updated, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<std::vector<v1::Household>> HouseholdStore::Find(const std::string& scope,
                                                                const WriteContext& reader,
                                                                PersonalKind kind,
                                                                const std::string& value,
                                                                const std::string& purpose) {
  std::vector<v1::Household> found;
  const bool by_phone = kind == PersonalKind::kPhone;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    found.clear();
    RecordPersonalDataRead(c, reader, "search", "household", "",
                           by_phone ? "head_phone" : "head_id_number", purpose);
    auto& select = c.Prepare(
        absl::StrCat(kSelect, " WHERE ", by_phone ? "head_phone_hash" : "head_id_number_hash",
                     " = ?", db::InScope("grid_path"), " ORDER BY id LIMIT 100"));
    select.setString(1, SearchHash(cipher_, kind, value));
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    while (rows->next()) found.push_back(ReadMasked(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<v1::HouseholdContact> HouseholdStore::Reveal(const std::string& scope,
                                                            const WriteContext& reader,
                                                            const std::string& id,
                                                            const std::string& purpose) {
  v1::HouseholdContact contact;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat(
        "SELECT head_name_cipher, head_phone_cipher, head_id_number_cipher FROM households"
        " WHERE id = ?",
        db::InScope("grid_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return HiddenRecord(scope, "household", "HOUSEHOLD_NOT_FOUND");
    auto name = Unseal(cipher_, *rows, 1, id, "head_name");
    if (!name.ok()) return name.status();
    auto phone = Unseal(cipher_, *rows, 2, id, "head_phone");
    if (!phone.ok()) return phone.status();
    auto id_number = Unseal(cipher_, *rows, 3, id, "head_id_number");
    if (!id_number.ok()) return id_number.status();
    // Recorded before anything leaves: a failed audit row is a failed read.
    RecordPersonalDataRead(c, reader, "reveal", "household", id,
                           "head_name,head_phone,head_id_number", purpose);
    contact.set_household_id(id);
    contact.set_head_name(*std::move(name));
    contact.set_head_phone(*std::move(phone));
    contact.set_head_id_number(*std::move(id_number));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return contact;
}

}  // namespace grassroots::grid
