#include "services/orgs/resident_unit_store.h"

#include <cppconn/exception.h>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/big_committee_store.h"
#include "services/orgs/organisation_store.h"
#include "services/orgs/regional_places.h"
#include "services/orgs/resident_unit_rules.h"

namespace grassroots::orgs {
namespace {

// Masked columns only: reading a unit never touches a ciphertext.
constexpr char kColumns[] =
    "id, area_id, area_path, display_name, kind, employee_count, organisation_id,"
    " liaison_name_masked, liaison_phone_masked, state, withdraw_reason, version, create_time,"
    " update_time, withdraw_time";

v1::ResidentUnit ReadUnit(sql::ResultSet& row) {
  v1::ResidentUnit u;
  u.set_id(row.getString(1));
  u.set_area_id(row.getString(2));
  u.set_area_path(row.getString(3));
  u.set_display_name(row.getString(4));
  u.set_kind(static_cast<v1::ResidentUnit::Kind>(row.getInt(5)));
  u.set_employee_count(row.getInt(6));
  if (!row.isNull(7)) u.set_organisation_id(row.getString(7));
  u.set_liaison_name(row.getString(8));
  u.set_liaison_phone(row.getString(9));
  u.set_state(static_cast<v1::ResidentUnit::State>(row.getInt(10)));
  u.set_withdraw_reason(row.getString(11));
  u.set_etag(EtagOf(row.getInt64(12)));
  ToProtoTime(db::FromDbTime(row.getString(13)), u.mutable_create_time());
  ToProtoTime(db::FromDbTime(row.getString(14)), u.mutable_update_time());
  if (!row.isNull(15)) ToProtoTime(db::FromDbTime(row.getString(15)), u.mutable_withdraw_time());
  return u;
}

absl::Status Hidden(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the unit lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError("id: no such resident unit"), "UNIT_NOT_FOUND");
}

std::string Context(const std::string& id, absl::string_view field) {
  return absl::StrCat(id, "/", field);
}

// The unit's party organisation, if it names one: active and in the scope.
absl::Status CheckOrganisation(db::Connection& c, const std::string& scope,
                               const std::string& organisation_id) {
  if (organisation_id.empty()) return absl::OkStatus();
  if (OrganisationStore::FindActiveInScope(c, scope, organisation_id)) return absl::OkStatus();
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "unit.organisation_id lies outside the caller's jurisdiction");
  }
  return InvalidField("unit.organisation_id", "ORGANISATION_NOT_FOUND",
                      "no active organisation with this id");
}

void BindOrganisation(sql::PreparedStatement& s, int index, const std::string& organisation_id) {
  if (organisation_id.empty()) {
    s.setNull(index, sql::DataType::VARCHAR);
  } else {
    s.setString(index, organisation_id);
  }
}

}  // namespace

absl::StatusOr<v1::ResidentUnit> ResidentUnitStore::Create(const std::string& scope,
                                                           const WriteContext& write,
                                                           const v1::ResidentUnit& requested) {
  v1::ResidentUnit created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto place = FindPlaceInScope(c, scope, requested.area_id());
        if (!place) return PlaceHidden(scope, "unit.area_id");
        if (auto s = ValidateUnitPlaceKind("unit.area_id", place->kind()); !s.ok()) return s;
        if (auto s = CheckOrganisation(c, scope, requested.organisation_id()); !s.ok()) return s;
        const std::string id = NewId("ru", write.now);
        created = requested;
        created.set_id(id);
        created.set_area_path(place->path());
        created.set_liaison_name(MaskName(requested.liaison_name()));
        created.set_liaison_phone(MaskPhone(requested.liaison_phone()));
        created.set_state(v1::ResidentUnit::ACTIVE);
        created.clear_withdraw_reason();
        created.clear_withdraw_time();
        created.set_etag(EtagOf(1));
        ToProtoTime(write.now, created.mutable_create_time());
        ToProtoTime(write.now, created.mutable_update_time());
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO resident_units (id, area_id, area_path, display_name, kind,"
            " employee_count, organisation_id, liaison_name_cipher, liaison_name_masked,"
            " liaison_phone_cipher, liaison_phone_masked, state, version, create_time,"
            " update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.setString(1, id);
        insert.setString(2, place->id());
        insert.setString(3, place->path());
        insert.setString(4, created.display_name());
        insert.setInt(5, created.kind());
        insert.setInt(6, created.employee_count());
        BindOrganisation(insert, 7, created.organisation_id());
        insert.setString(8, cipher_.Encrypt(requested.liaison_name(), Context(id, "liaison_name")));
        insert.setString(9, created.liaison_name());
        insert.setString(10,
                         cipher_.Encrypt(requested.liaison_phone(), Context(id, "liaison_phone")));
        insert.setString(11, created.liaison_phone());
        insert.setInt(12, v1::ResidentUnit::ACTIVE);
        insert.setString(13, now);
        insert.setString(14, now);
        insert.executeUpdate();
        // The change row holds the masked unit: the feed carries no clear values.
        changes_.Append(c, write,
                        {id, common::v1::Change::CREATED, created.area_path(), &created, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::ResidentUnit>(pool_, changes_, write, status);
}

absl::StatusOr<v1::ResidentUnit> ResidentUnitStore::Get(const std::string& scope,
                                                        const std::string& id) {
  std::optional<v1::ResidentUnit> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns, " FROM resident_units WHERE id = ?",
                                          db::InScope("area_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (rows->next()) found = ReadUnit(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope);
  return *found;
}

absl::StatusOr<ResidentUnitPage> ResidentUnitStore::List(const std::string& scope,
                                                         const ResidentUnitFilter& filter,
                                                         int page_size,
                                                         const std::string& after_id) {
  ResidentUnitPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto root = ListingRoot(c, scope, filter.area_id);
    if (!root.ok()) return root.status();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kColumns, " FROM resident_units WHERE id > ?", db::InScope("area_path"),
        Within("area_path"), " AND (? = 0 OR kind = ?) AND (? OR state = ?) ORDER BY id LIMIT ?"));
    select.setString(1, after_id);
    int index = db::BindScope(select, 2, scope);
    index = BindWithin(select, index, *root);
    select.setInt(index++, filter.kind);
    select.setInt(index++, filter.kind);
    select.setBoolean(index++, filter.include_withdrawn);
    select.setInt(index++, v1::ResidentUnit::ACTIVE);
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

absl::StatusOr<v1::ResidentUnit> ResidentUnitStore::Update(const std::string& scope,
                                                           const WriteContext& write,
                                                           const v1::ResidentUnit& changes,
                                                           const std::vector<std::string>& fields) {
  v1::ResidentUnit updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns,
                                          ", liaison_name_cipher, liaison_phone_cipher"
                                          " FROM resident_units WHERE id = ?",
                                          db::InScope("area_path"), " FOR UPDATE"));
    select.setString(1, changes.id());
    db::BindScope(select, 2, scope);
    v1::ResidentUnit before;
    std::string name_cipher, phone_cipher;
    {
      auto rows = c.Query(select);
      if (!rows->next()) return Hidden(scope);
      before = ReadUnit(*rows);
      name_cipher = rows->getString(16).asStdString();
      phone_cipher = rows->getString(17).asStdString();
    }
    const int64_t version = std::stoll(before.etag());
    if (auto s = CheckEtag("unit.etag", changes.etag(), version); !s.ok()) return s;
    if (before.state() != v1::ResidentUnit::ACTIVE) {
      return FailedPrecondition("UNIT_WITHDRAWN", "a withdrawn unit is kept as it left");
    }
    updated = before;
    for (const std::string& field : fields) {
      if (field == "display_name") {
        updated.set_display_name(changes.display_name());
      } else if (field == "kind") {
        updated.set_kind(changes.kind());
      } else if (field == "employee_count") {
        updated.set_employee_count(changes.employee_count());
      } else if (field == "organisation_id") {
        if (auto s = CheckOrganisation(c, scope, changes.organisation_id()); !s.ok()) return s;
        updated.set_organisation_id(changes.organisation_id());
      } else if (field == "liaison_name") {
        name_cipher = cipher_.Encrypt(changes.liaison_name(), Context(before.id(), field));
        updated.set_liaison_name(MaskName(changes.liaison_name()));
      } else if (field == "liaison_phone") {
        phone_cipher = cipher_.Encrypt(changes.liaison_phone(), Context(before.id(), field));
        updated.set_liaison_phone(MaskPhone(changes.liaison_phone()));
      }
    }
    updated.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE resident_units SET display_name = ?, kind = ?, employee_count = ?,"
        " organisation_id = ?, liaison_name_cipher = ?, liaison_name_masked = ?,"
        " liaison_phone_cipher = ?, liaison_phone_masked = ?, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setString(1, updated.display_name());
    update.setInt(2, updated.kind());
    update.setInt(3, updated.employee_count());
    BindOrganisation(update, 4, updated.organisation_id());
    update.setString(5, name_cipher);
    update.setString(6, updated.liaison_name());
    update.setString(7, phone_cipher);
    update.setString(8, updated.liaison_phone());
    update.setString(9, db::ToDbTime(write.now));
    update.setString(10, before.id());
    update.executeUpdate();
    changes_.Append(
        c, write,
        {before.id(), common::v1::Change::UPDATED, before.area_path(), &updated, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<v1::ResidentUnit> ResidentUnitStore::Withdraw(const std::string& scope,
                                                             const WriteContext& write,
                                                             const std::string& id,
                                                             const std::string& etag,
                                                             const std::string& reason) {
  v1::ResidentUnit withdrawn;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns, " FROM resident_units WHERE id = ?",
                                          db::InScope("area_path"), " FOR UPDATE"));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    v1::ResidentUnit before;
    {
      auto rows = c.Query(select);
      if (!rows->next()) return Hidden(scope);
      before = ReadUnit(*rows);
    }
    const int64_t version = std::stoll(before.etag());
    if (auto s = CheckEtag("etag", etag, version); !s.ok()) return s;
    if (before.state() != v1::ResidentUnit::ACTIVE) {
      return FailedPrecondition("UNIT_WITHDRAWN", "the unit has already withdrawn");
    }
    withdrawn = before;
    withdrawn.set_state(v1::ResidentUnit::WITHDRAWN);
    withdrawn.set_withdraw_reason(reason);
    withdrawn.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, withdrawn.mutable_update_time());
    ToProtoTime(write.now, withdrawn.mutable_withdraw_time());
    const std::string now = db::ToDbTime(write.now);
    auto& update = c.Prepare(
        "UPDATE resident_units SET state = ?, withdraw_reason = ?, withdraw_time = ?,"
        " version = version + 1, update_time = ? WHERE id = ?");
    update.setInt(1, v1::ResidentUnit::WITHDRAWN);
    update.setString(2, reason);
    update.setString(3, now);
    update.setString(4, now);
    update.setString(5, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, before.area_path(), &withdrawn, &before});
    // The unit's record keeps its reason; the seats say why they ended.
    BigCommitteeStore::EndSeatsOfUnit(c, changes_, write, id, "the unit withdrew");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return withdrawn;
}

absl::StatusOr<v1::UnitLiaison> ResidentUnitStore::RevealLiaison(const std::string& scope,
                                                                 const WriteContext& reader,
                                                                 const std::string& id,
                                                                 const std::string& purpose) {
  v1::UnitLiaison liaison;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat(
        "SELECT liaison_name_cipher, liaison_phone_cipher FROM resident_units WHERE id = ?",
        db::InScope("area_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return Hidden(scope);
    auto name = cipher_.Decrypt(rows->getString(1).asStdString(), Context(id, "liaison_name"));
    if (!name.ok()) return name.status();
    auto phone = cipher_.Decrypt(rows->getString(2).asStdString(), Context(id, "liaison_phone"));
    if (!phone.ok()) return phone.status();
    // Recorded before anything leaves: a failed audit row is a failed read.
    auto& insert = c.Prepare(
        "INSERT INTO personal_data_reads (actor, request_id, action, member_id, resident_unit_id,"
        " fields, purpose, read_time) VALUES (?, ?, 'reveal', NULL, ?,"
        " 'liaison_name,liaison_phone', ?, ?)");
    insert.setString(1, reader.actor);
    insert.setString(2, reader.request_id);
    insert.setString(3, id);
    insert.setString(4, purpose);
    insert.setString(5, db::ToDbTime(reader.now));
    insert.executeUpdate();
    liaison.set_unit_id(id);
    liaison.set_name(*std::move(name));
    liaison.set_phone(*std::move(phone));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return liaison;
}

std::vector<UnitRef> ResidentUnitStore::FindUnits(db::Connection& c,
                                                  const std::vector<std::string>& ids) {
  std::vector<UnitRef> found;
  if (ids.empty()) return found;
  auto& select = c.Prepare(absl::StrCat(
      "SELECT id, display_name, area_path, state FROM resident_units WHERE id IN (",
      db::ParameterList(static_cast<int>(ids.size())), ") ORDER BY id LOCK IN SHARE MODE"));
  for (size_t i = 0; i < ids.size(); ++i) select.setString(static_cast<int>(i) + 1, ids[i]);
  auto rows = c.Query(select);
  while (rows->next()) {
    found.push_back({rows->getString(1), rows->getString(2), rows->getString(3),
                     static_cast<v1::ResidentUnit::State>(rows->getInt(4))});
  }
  return found;
}

void ResidentUnitStore::FollowAreaMove(db::Connection& c, const ChangeLog& changes,
                                       const WriteContext& write, const std::string& old_path,
                                       const std::string& new_path) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns,
                                        " FROM resident_units WHERE area_path = ? OR area_path"
                                        " LIKE ? ORDER BY id FOR UPDATE"));
  select.setString(1, old_path);
  select.setString(2, DescendantsLikePattern(old_path));
  std::vector<v1::ResidentUnit> placed;
  {
    auto rows = c.Query(select);
    while (rows->next()) placed.push_back(ReadUnit(*rows));
  }
  if (placed.empty()) return;
  auto& rewrite = c.Prepare(
      "UPDATE resident_units SET area_path = CONCAT(?, SUBSTRING(area_path, ?)),"
      " version = version + 1, update_time = ? WHERE area_path = ? OR area_path LIKE ?");
  rewrite.setString(1, new_path);
  rewrite.setInt(2, static_cast<int>(old_path.size()) + 1);
  rewrite.setString(3, db::ToDbTime(write.now));
  rewrite.setString(4, old_path);
  rewrite.setString(5, DescendantsLikePattern(old_path));
  rewrite.executeUpdate();
  for (const auto& before : placed) {
    v1::ResidentUnit after = before;
    after.set_area_path(new_path + before.area_path().substr(old_path.size()));
    after.set_etag(EtagOf(std::stoll(before.etag()) + 1));
    ToProtoTime(write.now, after.mutable_update_time());
    ChangeRecord record{after.id(), common::v1::Change::MOVED, after.area_path(), &after, &before};
    record.carries_request_id = false;
    changes.Append(c, write, record);
  }
}

bool ResidentUnitStore::AnyRegisteredAt(db::Connection& c, const std::string& area_id) {
  auto& select = c.Prepare("SELECT 1 FROM resident_units WHERE area_id = ? LIMIT 1");
  select.setString(1, area_id);
  return c.Query(select)->next();
}

std::optional<UnitRef> ResidentUnitStore::FindUnit(db::Connection& c, const std::string& id) {
  auto found = FindUnits(c, {id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

}  // namespace grassroots::orgs
