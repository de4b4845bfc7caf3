#include "services/grid/key_person_store.h"

#include <cppconn/exception.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/changes/earlier_result.h"
#include "common/crypto/personal_fields.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/grid_store.h"
#include "services/grid/household_store.h"
#include "services/grid/key_person_rules.h"
#include "services/grid/scope_errors.h"
#include "services/grid/update_mask.h"

namespace grassroots::grid {
namespace {

// Masked columns only.
constexpr char kSelect[] =
    "SELECT id, grid_id, grid_path, household_id, category, name_masked, phone_masked,"
    " id_number_masked, reason, visit_interval_days, version, create_time, update_time"
    " FROM key_persons";

v1::KeyPerson ReadMasked(sql::ResultSet& r) {
  v1::KeyPerson k;
  k.set_id(r.getString(1));
  k.set_grid_id(r.getString(2));
  k.set_grid_path(r.getString(3));
  k.set_household_id(r.getString(4));
  k.set_category(static_cast<v1::KeyPersonCategory>(r.getInt(5)));
  k.set_name(r.getString(6));
  k.set_phone(r.getString(7));
  k.set_id_number(r.getString(8));
  k.set_reason(r.getString(9));
  k.set_visit_interval_days(r.getInt(10));
  k.set_etag(EtagOf(r.getInt64(11)));
  ToProtoTime(db::FromDbTime(r.getString(12)), k.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(13)), k.mutable_update_time());
  return k;
}

struct PersonField {
  const char* field;
  PersonalKind kind;
  bool hashed;
};
constexpr PersonField kPersonFields[] = {
    {"name", PersonalKind::kName, false},
    {"phone", PersonalKind::kPhone, true},
    {"id_number", PersonalKind::kIdNumber, true},
};

const std::string& ClearOf(const v1::KeyPerson& k, absl::string_view field) {
  if (field == "name") return k.name();
  if (field == "phone") return k.phone();
  return k.id_number();
}

void SetMasked(v1::KeyPerson& k, absl::string_view field, const std::string& masked) {
  if (field == "name") k.set_name(masked);
  if (field == "phone") k.set_phone(masked);
  if (field == "id_number") k.set_id_number(masked);
}

absl::Status AlreadyFollowed() {
  return AlreadyExists("KEY_PERSON_EXISTS",
                       "a key person with this ID number is followed in the grid already");
}

std::optional<v1::KeyPerson> FindInScope(db::Connection& c, const std::string& scope,
                                         const std::string& id, const char* lock) {
  auto& select = c.Prepare(absl::StrCat(kSelect, " WHERE id = ?", db::InScope("grid_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadMasked(*rows);
}

// Where a key person lives must be a household of the same grid.
absl::Status CheckHousehold(db::Connection& c, const std::string& scope,
                            const std::string& household_id, const std::string& grid_id) {
  if (household_id.empty()) return absl::OkStatus();
  auto household = HouseholdStore::FindInScope(c, scope, household_id, " LOCK IN SHARE MODE");
  if (!household || household->grid_id() != grid_id) {
    return InvalidField("key_person.household_id", "HOUSEHOLD_NOT_IN_GRID",
                        "where the person lives must be a household of the grid");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::KeyPerson> KeyPersonStore::Create(const std::string& scope,
                                                     const WriteContext& write,
                                                     const v1::KeyPerson& requested) {
  v1::KeyPerson created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto grid = GridStore::FindInScope(c, scope, requested.grid_id(), " LOCK IN SHARE MODE");
        if (!grid) return HiddenReference(scope, "key_person.grid_id", "grid", "GRID_NOT_FOUND");
        if (auto s = CheckHousehold(c, scope, requested.household_id(), grid->id()); !s.ok()) {
          return s;
        }
        created = requested;
        const std::string id = NewId("kp", write.now);
        created.set_id(id);
        created.set_grid_path(grid->path());
        created.set_etag(EtagOf(1));
        ToProtoTime(write.now, created.mutable_create_time());
        ToProtoTime(write.now, created.mutable_update_time());
        auto& insert = c.Prepare(
            "INSERT INTO key_persons (id, grid_id, grid_path, household_id, category,"
            " name_cipher, name_masked, phone_cipher, phone_masked, phone_hash, id_number_cipher,"
            " id_number_masked, id_number_hash, reason, visit_interval_days, version,"
            " create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1,"
            " ?, ?)");
        insert.setString(1, id);
        insert.setString(2, grid->id());
        insert.setString(3, grid->path());
        insert.setString(4, requested.household_id());
        insert.setInt(5, requested.category());
        int index = 6;
        for (const PersonField& f : kPersonFields) {
          const SealedValue sealed =
              Seal(cipher_, f.kind, id, f.field, ClearOf(requested, f.field));
          index = BindSealed(insert, index, sealed, f.hashed);
          SetMasked(created, f.field, sealed.masked);
        }
        insert.setString(index++, requested.reason());
        insert.setInt(index++, requested.visit_interval_days());
        insert.setString(index++, db::ToDbTime(write.now));
        insert.setString(index, db::ToDbTime(write.now));
        try {
          insert.executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          return AlreadyFollowed();
        }
        changes_.Append(c, write,
                        {id, common::v1::Change::CREATED, created.grid_path(), &created, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::KeyPerson>(pool_, changes_, write, status);
}

absl::StatusOr<v1::KeyPerson> KeyPersonStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::KeyPerson> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindInScope(c, scope, id, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return HiddenRecord(scope, "key person", "KEY_PERSON_NOT_FOUND");
  return *found;
}

absl::StatusOr<KeyPersonPage> KeyPersonStore::List(const std::string& scope,
                                                   const std::string& grid_id,
                                                   v1::KeyPersonCategory category, int page_size,
                                                   const std::string& after_id) {
  KeyPersonPage page;
  const bool by_category = category != v1::KEY_PERSON_CATEGORY_UNSPECIFIED;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    if (!GridStore::FindInScope(c, scope, grid_id)) {
      return HiddenReference(scope, "grid_id", "grid", "GRID_NOT_FOUND");
    }
    auto& select =
        c.Prepare(absl::StrCat(kSelect, " WHERE grid_id = ? AND id > ?", db::InScope("grid_path"),
                               by_category ? " AND category = ?" : "", " ORDER BY id LIMIT ?"));
    select.setString(1, grid_id);
    select.setString(2, after_id);
    int index = db::BindScope(select, 3, scope);
    if (by_category) select.setInt(index++, category);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.key_persons.push_back(ReadMasked(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.key_persons.size()) > page_size) {
    page.key_persons.pop_back();
    page.last_id = page.key_persons.back().id();
  }
  return page;
}

absl::StatusOr<v1::KeyPerson> KeyPersonStore::Update(const std::string& scope,
                                                     const WriteContext& write,
                                                     const v1::KeyPerson& changes,
                                                     const std::vector<std::string>& fields) {
  v1::KeyPerson updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindInScope(c, scope, changes.id(), " FOR UPDATE");
    if (!before) return HiddenRecord(scope, "key person", "KEY_PERSON_NOT_FOUND");
    const int64_t version = VersionOf(before->etag());
    if (auto s = CheckEtag("key_person.etag", changes.etag(), version, "the key person"); !s.ok()) {
      return s;
    }
    updated = *before;
    for (const std::string& field : fields) {
      if (field == "household_id") updated.set_household_id(changes.household_id());
      if (field == "category") updated.set_category(changes.category());
      if (field == "reason") updated.set_reason(changes.reason());
      if (field == "visit_interval_days") {
        updated.set_visit_interval_days(changes.visit_interval_days());
      }
    }
    if (auto s = ValidateFollowUp("key_person.", updated.reason(), updated.visit_interval_days());
        !s.ok()) {
      return s;
    }
    if (Names(fields, "household_id")) {
      if (auto s = CheckHousehold(c, scope, updated.household_id(), updated.grid_id()); !s.ok()) {
        return s;
      }
    }
    std::vector<std::string> sets = {"household_id = ?", "category = ?", "reason = ?",
                                     "visit_interval_days = ?"};
    std::vector<std::pair<const PersonField*, SealedValue>> sealed_fields;
    for (const PersonField& f : kPersonFields) {
      if (!Names(fields, f.field)) continue;
      SealedValue sealed = Seal(cipher_, f.kind, updated.id(), f.field, ClearOf(changes, f.field));
      SetMasked(updated, f.field, sealed.masked);
      sets.push_back(absl::StrCat(f.field, "_cipher = ?"));
      sets.push_back(absl::StrCat(f.field, "_masked = ?"));
      if (f.hashed) sets.push_back(absl::StrCat(f.field, "_hash = ?"));
      sealed_fields.emplace_back(&f, std::move(sealed));
    }
    updated.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(absl::StrCat("UPDATE key_persons SET ", absl::StrJoin(sets, ", "),
                                          ", version = version + 1, update_time = ? WHERE id = ?"));
    update.setString(1, updated.household_id());
    update.setInt(2, updated.category());
    update.setString(3, updated.reason());
    update.setInt(4, updated.visit_interval_days());
    int index = 5;
    for (const auto& [f, sealed] : sealed_fields)
      index = BindSealed(update, index, sealed, f->hashed);
    update.setString(index++, db::ToDbTime(write.now));
    update.setString(index, updated.id());
    try {
      update.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != db::kDuplicateKey) throw;
      return AlreadyFollowed();
    }
    changes_.Append(
        c, write,
        {updated.id(), common::v1::Change::UPDATED, updated.grid_path(), &updated, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<v1::KeyPersonContact> KeyPersonStore::Reveal(const std::string& scope,
                                                            const WriteContext& reader,
                                                            const std::string& id,
                                                            const std::string& purpose) {
  v1::KeyPersonContact contact;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select =
        c.Prepare(absl::StrCat("SELECT name_cipher, phone_cipher, id_number_cipher FROM key_persons"
                               " WHERE id = ?",
                               db::InScope("grid_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return HiddenRecord(scope, "key person", "KEY_PERSON_NOT_FOUND");
    auto name = Unseal(cipher_, *rows, 1, id, "name");
    if (!name.ok()) return name.status();
    auto phone = Unseal(cipher_, *rows, 2, id, "phone");
    if (!phone.ok()) return phone.status();
    auto id_number = Unseal(cipher_, *rows, 3, id, "id_number");
    if (!id_number.ok()) return id_number.status();
    RecordPersonalDataRead(c, reader, "reveal", "key_person", id, "name,phone,id_number", purpose);
    contact.set_key_person_id(id);
    contact.set_name(*std::move(name));
    contact.set_phone(*std::move(phone));
    contact.set_id_number(*std::move(id_number));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return contact;
}

}  // namespace grassroots::grid
