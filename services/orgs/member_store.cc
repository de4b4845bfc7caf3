#include "services/orgs/member_store.h"

#include <cppconn/exception.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/import/import_result.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/member_rules.h"
#include "services/orgs/membership_history.h"
#include "services/orgs/organisation_store.h"

namespace grassroots::orgs {
namespace {

// Masked columns only: listing members never touches a ciphertext.
constexpr char kMaskedColumns[] =
    "m.id, m.organisation_id, o.path, m.area_path, m.status, m.join_date, m.probation_end_date,"
    " m.name_masked, m.phone_masked, m.id_number_masked, m.version, m.create_time, m.update_time";
constexpr char kFromMembers[] = " FROM members m JOIN organisations o ON o.id = m.organisation_id";

v1::Member ReadMasked(sql::ResultSet& row) {
  v1::Member m;
  m.set_id(row.getString(1));
  m.set_organisation_id(row.getString(2));
  m.set_organisation_path(row.getString(3));
  m.set_area_path(row.getString(4));
  m.set_status(static_cast<v1::MemberStatus>(row.getInt(5)));
  m.set_join_date(row.getString(6));
  if (!row.isNull(7)) m.set_probation_end_date(row.getString(7));
  m.set_name(row.getString(8));
  m.set_phone(row.getString(9));
  m.set_id_number(row.getString(10));
  m.set_etag(EtagOf(row.getInt64(11)));
  ToProtoTime(db::FromDbTime(row.getString(12)), m.mutable_create_time());
  ToProtoTime(db::FromDbTime(row.getString(13)), m.mutable_update_time());
  return m;
}

absl::Status Hidden(const std::string& scope, absl::string_view field) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the member lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError(absl::StrCat(field, ": no such member")),
                    "MEMBER_NOT_FOUND");
}

std::string Context(const std::string& id, absl::string_view field) {
  return absl::StrCat(id, "/", field);
}

void RecordRead(db::Connection& c, const WriteContext& reader, const char* action,
                const std::string& member_id, const char* fields, const PersonalDataUse& use) {
  auto& insert = c.Prepare(
      "INSERT INTO personal_data_reads (actor, request_id, action, member_id, fields, purpose,"
      " read_time) VALUES (?, ?, ?, ?, ?, ?, ?)");
  insert.setString(1, reader.actor);
  insert.setString(2, reader.request_id);
  insert.setString(3, action);
  if (member_id.empty()) {
    insert.setNull(4, sql::DataType::VARCHAR);
  } else {
    insert.setString(4, member_id);
  }
  insert.setString(5, fields);
  insert.setString(6, use.purpose);
  insert.setString(7, db::ToDbTime(reader.now));
  insert.executeUpdate();
}

}  // namespace

absl::StatusOr<v1::Member> MemberStore::Insert(db::Connection& c, const WriteContext& write,
                                               const v1::Member& requested,
                                               const v1::Organisation& organisation) const {
  v1::Member added;
  const std::string id = NewId("mb", write.now);
  added.set_id(id);
  added.set_organisation_id(organisation.id());
  added.set_organisation_path(organisation.path());
  added.set_area_path(organisation.area_path());
  added.set_status(requested.status());
  added.set_join_date(requested.join_date());
  added.set_probation_end_date(requested.probation_end_date());
  added.set_name(MaskName(requested.name()));
  added.set_phone(MaskPhone(requested.phone()));
  added.set_id_number(MaskIdNumber(requested.id_number()));
  added.set_etag(EtagOf(1));
  ToProtoTime(write.now, added.mutable_create_time());
  ToProtoTime(write.now, added.mutable_update_time());
  const std::string now = db::ToDbTime(write.now);
  auto& insert = c.Prepare(
      "INSERT INTO members (id, organisation_id, area_path, status, join_date,"
      " probation_end_date, name_cipher, name_masked, phone_cipher, phone_masked, phone_hash,"
      " id_number_cipher, id_number_masked, id_number_hash, version, create_time,"
      " update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
  insert.setString(1, id);
  insert.setString(2, organisation.id());
  insert.setString(3, organisation.area_path());
  insert.setInt(4, requested.status());
  insert.setString(5, requested.join_date());
  if (requested.probation_end_date().empty()) {
    insert.setNull(6, sql::DataType::DATE);
  } else {
    insert.setString(6, requested.probation_end_date());
  }
  insert.setString(7, cipher_.Encrypt(requested.name(), Context(id, "name")));
  insert.setString(8, added.name());
  if (requested.phone().empty()) {
    insert.setNull(9, sql::DataType::VARBINARY);
    insert.setString(10, "");
    insert.setNull(11, sql::DataType::CHAR);
  } else {
    insert.setString(9, cipher_.Encrypt(requested.phone(), Context(id, "phone")));
    insert.setString(10, added.phone());
    insert.setString(11, cipher_.KeyedHash("phone", requested.phone()));
  }
  insert.setString(12, cipher_.Encrypt(requested.id_number(), Context(id, "id_number")));
  insert.setString(13, added.id_number());
  insert.setString(14, cipher_.KeyedHash("id_number", requested.id_number()));
  insert.setString(15, now);
  insert.setString(16, now);
  try {
    insert.executeUpdate();
    // The change row holds the masked member: the feed carries no clear values.
    changes_.Append(c, write,
                    {id, common::v1::Change::CREATED, added.area_path(), &added, nullptr});
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != db::kDuplicateKey) throw;
    return AlreadyExists("MEMBER_EXISTS",
                         "a member with this ID number is registered already; transfer "
                         "the membership instead of adding it again");
  }
  MembershipHistory::Open(c, added);
  return added;
}

absl::StatusOr<v1::Member> MemberStore::Add(const std::string& scope, const WriteContext& write,
                                            const v1::Member& requested) {
  v1::Member added;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto organisation =
            OrganisationStore::FindActiveInScope(c, scope, requested.organisation_id());
        if (!organisation) {
          if (!scope.empty()) {
            return PermissionDenied(
                "OUT_OF_SCOPE", "member.organisation_id lies outside the caller's jurisdiction");
          }
          return InvalidField("member.organisation_id", "ORGANISATION_NOT_FOUND",
                              "no active organisation with this id");
        }
        auto inserted = Insert(c, write, requested, *organisation);
        if (!inserted.ok()) return inserted.status();
        added = *std::move(inserted);
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return added;
  return EarlierResultOr<v1::Member>(pool_, changes_, write, status);
}

absl::StatusOr<common::v1::ImportResult> MemberStore::Import(
    const std::string& scope, const WriteContext& write,
    const std::vector<ImportLine<v1::Member>>& lines) {
  common::v1::ImportResult result;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    result.Clear();
    WriteContext line_write = write;
    line_write.request_id.clear();  // the import's request id marks its result only
    for (const auto& line : lines) {
      const std::string& path = line.record.organisation_path();
      auto organisation = OrganisationStore::FindActiveByPathInScope(c, scope, path);
      if (!organisation) {
        return AtLine(line.line_number,
                      InvalidField("organisation_path", "ORGANISATION_NOT_FOUND",
                                   absl::StrCat("no active organisation in the caller's "
                                                "jurisdiction has path ",
                                                path)));
      }
      auto inserted = Insert(c, line_write, line.record, *organisation);
      if (!inserted.ok()) return AtLine(line.line_number, inserted.status());
      result.set_created_count(result.created_count() + 1);
    }
    RecordImportResult(c, changes_, write, "members", scope, result);
    return absl::OkStatus();
  });
  if (!status.ok()) return ImportedEarlierOr(pool_, changes_, write, status);
  return result;
}

absl::StatusOr<v1::Member> MemberStore::Get(const std::string& scope, const std::string& id) {
  std::optional<v1::Member> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kMaskedColumns, kFromMembers,
                                          " WHERE m.id = ?", db::InScope("m.area_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (rows->next()) found = ReadMasked(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "id");
  return *found;
}

absl::StatusOr<v1::Member> MemberStore::ConvertToFull(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, absl::CivilDay conversion, absl::CivilDay today) {
  v1::Member converted;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select =
        c.Prepare(absl::StrCat("SELECT ", kMaskedColumns, kFromMembers, " WHERE m.id = ?",
                               db::InScope("m.area_path"), " FOR UPDATE"));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return Hidden(scope, "id");
    const v1::Member before = ReadMasked(*rows);
    if (auto s = CheckEtag("etag", etag, std::stoll(before.etag())); !s.ok()) return s;
    absl::CivilDay probation_end;
    (void)absl::ParseCivilTime(before.probation_end_date(), &probation_end);
    if (auto s = ValidateConversion(before.status(), probation_end, conversion, today); !s.ok()) {
      return s;
    }
    converted = before;
    converted.set_status(v1::FULL);
    converted.clear_probation_end_date();
    converted.set_etag(EtagOf(std::stoll(before.etag()) + 1));
    ToProtoTime(write.now, converted.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE members SET status = ?, probation_end_date = NULL, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setInt(1, v1::FULL);
    update.setString(2, db::ToDbTime(write.now));
    update.setString(3, id);
    update.executeUpdate();
    MembershipHistory::ChangeStatus(c, id, v1::FULL, conversion);
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, converted.area_path(), &converted, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return converted;
}

absl::StatusOr<MemberPage> MemberStore::List(const std::string& scope,
                                             const std::string& organisation_id, bool subtree,
                                             int page_size, const std::string& after_id) {
  MemberPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto organisation = OrganisationStore::FindListable(c, scope, organisation_id);
    if (!organisation.ok()) return organisation.status();
    const std::string path = organisation->path();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kMaskedColumns, kFromMembers, " WHERE m.id > ?", db::InScope("m.area_path"),
        subtree ? " AND (o.path = ? OR o.path LIKE ?)" : " AND m.organisation_id = ?",
        " ORDER BY m.id LIMIT ?"));
    select.setString(1, after_id);
    int index = db::BindScope(select, 2, scope);
    if (subtree) {
      select.setString(index++, path);
      select.setString(index++, DescendantsLikePattern(path));
    } else {
      select.setString(index++, organisation_id);
    }
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.members.push_back(ReadMasked(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.members.size()) > page_size) {
    page.members.pop_back();
    page.last_id = page.members.back().id();
  }
  return page;
}

absl::StatusOr<std::vector<v1::Member>> MemberStore::FindByContact(const std::string& scope,
                                                                   const WriteContext& reader,
                                                                   const std::string& kind,
                                                                   const std::string& value,
                                                                   const PersonalDataUse& use) {
  std::vector<v1::Member> found;
  const std::string column = kind == "phone" ? "m.phone_hash" : "m.id_number_hash";
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    found.clear();
    RecordRead(c, reader, "search", "", kind == "phone" ? "phone" : "id_number", use);
    auto& select =
        c.Prepare(absl::StrCat("SELECT ", kMaskedColumns, kFromMembers, " WHERE ", column, " = ?",
                               db::InScope("m.area_path"), " ORDER BY m.id LIMIT 100"));
    select.setString(1, cipher_.KeyedHash(kind, value));
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    while (rows->next()) found.push_back(ReadMasked(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

std::vector<std::string> MemberStore::LockMembersOf(db::Connection& c,
                                                    const std::string& organisation_id) {
  auto& select =
      c.Prepare("SELECT id FROM members WHERE organisation_id = ? ORDER BY id FOR UPDATE");
  select.setString(1, organisation_id);
  std::vector<std::string> ids;
  auto rows = c.Query(select);
  while (rows->next()) ids.push_back(rows->getString(1));
  return ids;
}

bool MemberStore::MoveToOrganisation(db::Connection& c, const ChangeLog& changes,
                                     const WriteContext& write, const std::string& member_id,
                                     const std::string& from_organisation_id,
                                     const v1::Organisation& organisation) {
  auto& select = c.Prepare(
      absl::StrCat("SELECT ", kMaskedColumns, kFromMembers, " WHERE m.id = ? FOR UPDATE"));
  select.setString(1, member_id);
  auto rows = c.Query(select);
  if (!rows->next()) return false;
  const v1::Member before = ReadMasked(*rows);
  if (before.organisation_id() != from_organisation_id) return false;
  const std::string now = db::ToDbTime(write.now);
  auto& update = c.Prepare(
      "UPDATE members SET organisation_id = ?, area_path = ?, version = version + 1,"
      " update_time = ? WHERE id = ?");
  update.setString(1, organisation.id());
  update.setString(2, organisation.area_path());
  update.setString(3, now);
  update.setString(4, member_id);
  update.executeUpdate();
  auto& payments = c.Prepare("UPDATE dues_payments SET area_path = ? WHERE member_id = ?");
  payments.setString(1, organisation.area_path());
  payments.setString(2, member_id);
  payments.executeUpdate();
  MembershipHistory::Move(c, member_id, organisation, write.now);
  v1::Member after = before;
  after.set_organisation_id(organisation.id());
  after.set_organisation_path(organisation.path());
  after.set_area_path(organisation.area_path());
  after.set_etag(EtagOf(std::stoll(before.etag()) + 1));
  ToProtoTime(write.now, after.mutable_update_time());
  ChangeRecord record{member_id, common::v1::Change::MOVED, after.area_path(), &after, &before};
  record.carries_request_id = false;
  changes.Append(c, write, record);
  return true;
}

absl::StatusOr<v1::MemberContact> MemberStore::Reveal(const std::string& scope,
                                                      const WriteContext& reader,
                                                      const std::string& id,
                                                      const PersonalDataUse& use) {
  v1::MemberContact contact;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat(
        "SELECT name_cipher, phone_cipher, id_number_cipher FROM members m WHERE m.id = ?",
        db::InScope("m.area_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (!rows->next()) return Hidden(scope, "id");
    auto name = cipher_.Decrypt(rows->getString(1).asStdString(), Context(id, "name"));
    if (!name.ok()) return name.status();
    std::string phone;
    if (!rows->isNull(2)) {
      auto clear = cipher_.Decrypt(rows->getString(2).asStdString(), Context(id, "phone"));
      if (!clear.ok()) return clear.status();
      phone = *std::move(clear);
    }
    auto id_number = cipher_.Decrypt(rows->getString(3).asStdString(), Context(id, "id_number"));
    if (!id_number.ok()) return id_number.status();
    // Recorded before anything leaves: a failed audit row is a failed read.
    RecordRead(c, reader, "reveal", id, "name,phone,id_number", use);
    contact.set_member_id(id);
    contact.set_name(*std::move(name));
    contact.set_phone(std::move(phone));
    contact.set_id_number(*std::move(id_number));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return contact;
}

}  // namespace grassroots::orgs
