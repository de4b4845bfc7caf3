#include "services/orgs/organisation_store.h"

#include <cppconn/exception.h>

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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
#include "grassroots/orgs/v1/member.pb.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/area_store.h"
#include "services/orgs/committee_rules.h"
#include "services/orgs/committee_store.h"
#include "services/orgs/member_store.h"
#include "services/orgs/organisation_history.h"
#include "services/orgs/organisation_rules.h"
#include "services/orgs/organisation_sql.h"
#include "services/orgs/transfer_store.h"

namespace grassroots::orgs {
namespace {

int64_t VersionOf(const v1::Organisation& o) { return std::stoll(o.etag()); }

absl::Status Hidden(const std::string& scope, absl::string_view field) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "the organisation lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError(absl::StrCat(field, ": no such organisation")),
                    "ORGANISATION_NOT_FOUND");
}

// `lock` is "", " FOR UPDATE" or " LOCK IN SHARE MODE". With `as_of`, the
// version in force then (never locked: history does not change).
std::optional<v1::Organisation> FindById(db::Connection& c, const std::string& scope,
                                         const std::string& id, const char* lock,
                                         std::optional<absl::Time> as_of = std::nullopt) {
  auto& select = c.Prepare(absl::StrCat(
      "SELECT ", kOrganisationColumns,
      as_of ? absl::StrCat(kOrganisationsAsOf, " AND id = ?") : " FROM organisations WHERE id = ?",
      db::InScope("area_path"), as_of ? "" : lock));
  int index = as_of ? BindAsOf(select, 1, *as_of) : 1;
  select.setString(index++, id);
  db::BindScope(select, index, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadOrganisation(*rows);
}

// A parent a caller may build under or list below: inside its scope, or
// above it on the way to the root (a street officer forms branches under
// its street's committee). Anything else looks like nothing at all.
std::optional<v1::Organisation> FindParent(db::Connection& c, const std::string& scope,
                                           const std::string& id, const char* lock,
                                           std::optional<absl::Time> as_of = std::nullopt) {
  auto parent = FindById(c, "", id, lock, as_of);
  if (!parent) return std::nullopt;
  if (!PathWithin(parent->area_path(), scope) && !PathWithin(scope, parent->area_path())) {
    return std::nullopt;
  }
  return parent;
}

// Every change of an organisation goes through here: the change row (audit
// and feed) and the version that "as of" reads find. `consequence` marks a
// record changed because another was (a moved subtree's descendants).
void WriteChange(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                 common::v1::Change::Action action, const v1::Organisation& after,
                 const v1::Organisation* before, bool consequence = false) {
  ChangeRecord record{after.id(), action, after.area_path(), &after, before};
  record.carries_request_id = !consequence;
  changes.Append(c, write, record);
  RecordOrganisationVersion(c, after, write.now);
}

// Checks placement against the parent and the place and inserts the
// organisation with its change row: for Create and Import alike.
absl::StatusOr<v1::Organisation> InsertOrganisation(db::Connection& c, const ChangeLog& changes,
                                                    const WriteContext& write,
                                                    const v1::Organisation& requested,
                                                    const std::optional<v1::Organisation>& parent,
                                                    const v1::Area& area) {
  if (parent && parent->state() != v1::ACTIVE) {
    return FailedPrecondition("PARENT_DISSOLVED",
                              "organisation.parent_id: the parent has been dissolved");
  }
  if (auto s = ValidateOrganisationPlacement(
          requested.kind(), parent ? parent->kind() : v1::ORGANISATION_KIND_UNSPECIFIED,
          area.kind());
      !s.ok()) {
    return s;
  }
  if (parent && !PathWithin(area.path(), parent->area_path())) {
    return InvalidField("organisation.area_id", "PLACE_OUTSIDE_PARENT",
                        absl::StrCat("the place ", area.path(), " lies outside the parent's place ",
                                     parent->area_path()));
  }
  v1::Organisation created;
  created.set_id(NewId("og", write.now));
  created.set_kind(requested.kind());
  created.set_code(requested.code());
  created.set_display_name(requested.display_name());
  if (parent) created.set_parent_id(parent->id());
  created.set_path(ChildPath(parent ? parent->path() : "", requested.code()));
  created.set_area_id(area.id());
  created.set_area_path(area.path());
  created.set_unit_name(requested.unit_name());
  created.set_state(v1::ACTIVE);
  created.set_etag(EtagOf(1));
  ToProtoTime(write.now, created.mutable_create_time());
  ToProtoTime(write.now, created.mutable_update_time());
  const std::string now = db::ToDbTime(write.now);
  auto& insert = c.Prepare(
      "INSERT INTO organisations (id, kind, code, display_name, parent_id, path, area_id,"
      " area_path, unit_name, state, version, create_time, update_time)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
  insert.setString(1, created.id());
  insert.setInt(2, created.kind());
  insert.setString(3, created.code());
  insert.setString(4, created.display_name());
  if (parent) {
    insert.setString(5, parent->id());
  } else {
    insert.setNull(5, sql::DataType::VARCHAR);
  }
  insert.setString(6, created.path());
  insert.setString(7, created.area_id());
  insert.setString(8, created.area_path());
  insert.setString(9, created.unit_name());
  insert.setInt(10, created.state());
  insert.setString(11, now);
  insert.setString(12, now);
  try {
    insert.executeUpdate();
    WriteChange(c, changes, write, common::v1::Change::CREATED, created, nullptr);
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != db::kDuplicateKey) throw;
    return AlreadyExists(
        "ORGANISATION_CODE_TAKEN",
        absl::StrCat("an organisation with path ", created.path(), " already exists"));
  }
  return created;
}

std::optional<v1::Organisation> FindByPath(db::Connection& c, const std::string& path) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kOrganisationColumns,
                                        " FROM organisations WHERE path = ? LOCK IN SHARE MODE"));
  select.setString(1, path);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadOrganisation(*rows);
}

}  // namespace

absl::StatusOr<v1::Organisation> OrganisationStore::Create(const std::string& scope,
                                                           const WriteContext& write,
                                                           const v1::Organisation& requested) {
  v1::Organisation created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        std::optional<v1::Organisation> parent;
        if (!requested.parent_id().empty()) {
          parent = FindParent(c, scope, requested.parent_id(), " LOCK IN SHARE MODE");
          if (!parent) return Hidden(scope, "organisation.parent_id");
        }
        auto area = AreaStore::FindInScope(c, scope, requested.area_id());
        if (!area) {
          if (!scope.empty()) {
            return PermissionDenied("OUT_OF_SCOPE",
                                    "organisation.area_id lies outside the caller's jurisdiction");
          }
          return InvalidField("organisation.area_id", "AREA_NOT_FOUND", "no such area");
        }
        auto inserted = InsertOrganisation(c, changes_, write, requested, parent, *area);
        if (!inserted.ok()) return inserted.status();
        created = *std::move(inserted);
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Organisation>(pool_, changes_, write, status);
}

absl::StatusOr<common::v1::ImportResult> OrganisationStore::Import(
    const std::string& scope, const WriteContext& write,
    const std::vector<ImportLine<v1::OrganisationImportRecord>>& lines) {
  common::v1::ImportResult result;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    result.Clear();
    WriteContext line_write = write;
    line_write.request_id.clear();  // the import's request id marks its result only
    for (const auto& line : lines) {
      const auto& record = line.record;
      std::optional<v1::Organisation> parent;
      if (!record.parent_path().empty()) {
        parent = FindByPath(c, record.parent_path());
        if (!parent ||
            (!PathWithin(parent->area_path(), scope) && !PathWithin(scope, parent->area_path()))) {
          return AtLine(line.line_number, InvalidField("parent_path", "PARENT_NOT_FOUND",
                                                       absl::StrCat("no organisation has path ",
                                                                    record.parent_path())));
        }
      }
      auto area = AreaStore::FindByPathInScope(c, scope, record.area_path());
      if (!area) {
        return AtLine(line.line_number,
                      InvalidField("area_path", "AREA_NOT_FOUND",
                                   absl::StrCat("no area in the caller's jurisdiction has path ",
                                                record.area_path())));
      }
      v1::Organisation requested;
      requested.set_kind(record.kind());
      requested.set_code(record.code());
      requested.set_display_name(record.display_name());
      requested.set_unit_name(record.unit_name());
      auto inserted = InsertOrganisation(c, changes_, line_write, requested, parent, *area);
      if (!inserted.ok()) return AtLine(line.line_number, inserted.status());
      result.set_created_count(result.created_count() + 1);
    }
    RecordImportResult(c, changes_, write, "organisations", scope, result);
    return absl::OkStatus();
  });
  if (!status.ok()) return ImportedEarlierOr(pool_, changes_, write, status);
  return result;
}

absl::StatusOr<v1::Organisation> OrganisationStore::Get(const std::string& scope,
                                                        const std::string& id,
                                                        std::optional<absl::Time> as_of) {
  std::optional<v1::Organisation> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindById(c, scope, id, "", as_of);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "id");
  return *found;
}

absl::StatusOr<OrganisationPage> OrganisationStore::List(const std::string& scope,
                                                         const OrganisationFilter& filter,
                                                         int page_size,
                                                         const std::string& after_path) {
  OrganisationPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    std::string sql = absl::StrCat("SELECT ", kOrganisationColumns,
                                   filter.as_of ? absl::StrCat(kOrganisationsAsOf, " AND path > ?")
                                                : " FROM organisations WHERE path > ?",
                                   db::InScope("area_path"));
    std::vector<std::string> binds;
    if (!filter.parent_id.empty()) {
      auto parent = FindParent(c, scope, filter.parent_id, "", filter.as_of);
      if (!parent) return Hidden(scope, "parent_id");
      if (filter.subtree) {
        absl::StrAppend(&sql, " AND path LIKE ?");
        binds.push_back(DescendantsLikePattern(parent->path()));
      } else {
        absl::StrAppend(&sql, " AND parent_id = ?");
        binds.push_back(parent->id());
      }
    } else if (!filter.subtree && scope.empty()) {
      absl::StrAppend(&sql, " AND parent_id IS NULL");
    }
    // A scoped caller without a parent sees every organisation in its scope
    // (the scope condition does the limiting): its own top ones come first.
    if (!filter.area_id.empty()) {
      absl::StrAppend(&sql, " AND area_id = ?");
      binds.push_back(filter.area_id);
    }
    if (filter.kind != v1::ORGANISATION_KIND_UNSPECIFIED) {
      absl::StrAppend(&sql, " AND kind = ", static_cast<int>(filter.kind));
    }
    if (!filter.include_dissolved) {
      absl::StrAppend(&sql, " AND state = ", static_cast<int>(v1::ACTIVE));
    }
    absl::StrAppend(&sql, " ORDER BY path LIMIT ?");
    auto& select = c.Prepare(sql);
    int index = filter.as_of ? BindAsOf(select, 1, *filter.as_of) : 1;
    select.setString(index++, after_path);
    index = db::BindScope(select, index, scope);
    for (const auto& b : binds) select.setString(index++, b);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.organisations.push_back(ReadOrganisation(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.organisations.size()) > page_size) {
    page.organisations.pop_back();
    page.last_path = page.organisations.back().path();
  }
  return page;
}

absl::StatusOr<CountsPage> OrganisationStore::ListWithCounts(const std::string& scope,
                                                             const std::string& parent_id,
                                                             int page_size,
                                                             const std::string& after_path,
                                                             absl::CivilDay day) {
  CountsPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    std::string below;
    if (!parent_id.empty()) {
      auto parent = FindParent(c, scope, parent_id, "");
      if (!parent) return Hidden(scope, "parent_id");
      below = parent->path();
    }
    // Qualified column names (members has its own area_path), built once.
    static const std::string& columns = *[] {
      auto* out = new std::string();
      for (absl::string_view column : absl::StrSplit(kOrganisationColumns, ", ")) {
        absl::StrAppend(out, out->empty() ? "" : ", ", "o.", column);
      }
      return out;
    }();
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", columns, ", COALESCE(SUM(m.status = ", static_cast<int>(v1::FULL),
        "), 0), COALESCE(SUM(m.status = ", static_cast<int>(v1::PROBATIONARY), "), 0),",
        " (SELECT COUNT(*) FROM organisation_places op WHERE op.organisation_id = o.id)",
        " FROM organisations o LEFT JOIN members m ON m.organisation_id = o.id"
        " WHERE o.state = ",
        static_cast<int>(v1::ACTIVE), " AND o.path > ?", db::InScope("o.area_path"),
        below.empty() ? "" : " AND (o.path = ? OR o.path LIKE ?)",
        " GROUP BY o.id ORDER BY o.path LIMIT ?"));
    select.setString(1, after_path);
    int index = db::BindScope(select, 2, scope);
    if (!below.empty()) {
      select.setString(index++, below);
      select.setString(index++, DescendantsLikePattern(below));
    }
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) {
      OrganisationWithCounts row;
      row.organisation = ReadOrganisation(*rows);
      row.full_members = rows->getInt(16);
      row.probationary_members = rows->getInt(17);
      row.covered_places = rows->getInt(18);
      page.organisations.push_back(std::move(row));
    }
    rows.reset();
    std::vector<v1::Organisation> branches;
    for (const auto& row : page.organisations) {
      if (IsBranchLevel(row.organisation.kind())) branches.push_back(row.organisation);
    }
    const auto sizes = CommitteeStore::SizesOn(c, branches, day);
    for (auto& row : page.organisations) {
      if (auto it = sizes.find(row.organisation.id()); it != sizes.end()) {
        row.roster_full_members = it->second.roster_full_members;
        row.committee_seats = it->second.seats;
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.organisations.size()) > page_size) {
    page.organisations.pop_back();
    page.last_path = page.organisations.back().organisation.path();
  }
  return page;
}

absl::StatusOr<v1::Organisation> OrganisationStore::Update(const std::string& scope,
                                                           const WriteContext& write,
                                                           const v1::Organisation& changes,
                                                           const std::vector<std::string>& fields) {
  v1::Organisation updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindById(c, scope, changes.id(), " FOR UPDATE");
    if (!before) return Hidden(scope, "organisation.id");
    if (auto s = CheckEtag("organisation.etag", changes.etag(), VersionOf(*before)); !s.ok()) {
      return s;
    }
    if (before->state() != v1::ACTIVE) {
      return FailedPrecondition("ORGANISATION_DISSOLVED",
                                "a dissolved organisation is kept as it was");
    }
    updated = *before;
    for (const auto& field : fields) {
      if (field == "display_name") updated.set_display_name(changes.display_name());
      if (field == "unit_name") updated.set_unit_name(changes.unit_name());
    }
    if (auto s = ValidateUnitName("organisation.unit_name", updated.kind(), updated.unit_name());
        !s.ok()) {
      return s;
    }
    updated.set_etag(EtagOf(VersionOf(*before) + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE organisations SET display_name = ?, unit_name = ?, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setString(1, updated.display_name());
    update.setString(2, updated.unit_name());
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, updated.id());
    update.executeUpdate();
    WriteChange(c, changes_, write, common::v1::Change::UPDATED, updated, &*before);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<v1::Organisation> OrganisationStore::Move(const std::string& scope,
                                                         const WriteContext& write,
                                                         const std::string& id,
                                                         const std::string& new_parent_id,
                                                         const std::string& etag) {
  v1::Organisation moved;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindById(c, scope, id, " FOR UPDATE");
    if (!before) return Hidden(scope, "id");
    if (auto s = CheckEtag("etag", etag, VersionOf(*before)); !s.ok()) return s;
    if (before->state() != v1::ACTIVE) {
      return FailedPrecondition("ORGANISATION_DISSOLVED",
                                "a dissolved organisation stays where it was");
    }
    auto parent = FindParent(c, scope, new_parent_id, " LOCK IN SHARE MODE");
    if (!parent) return Hidden(scope, "new_parent_id");
    if (parent->state() != v1::ACTIVE) {
      return FailedPrecondition("PARENT_DISSOLVED", "new_parent_id: the parent has been dissolved");
    }
    if (IsSelfOrDescendant(parent->path(), before->path())) {
      return FailedPrecondition("ORGANISATION_MOVE_CYCLE",
                                "an organisation cannot move below itself");
    }
    auto area = AreaStore::FindInScope(c, "", before->area_id());
    if (!area) return Internal("AREA_MISSING", "the organisation's place is gone");
    if (auto s = ValidateOrganisationPlacement(before->kind(), parent->kind(), area->kind());
        !s.ok()) {
      return s;
    }
    if (!PathWithin(before->area_path(), parent->area_path())) {
      return InvalidField(
          "new_parent_id", "PLACE_OUTSIDE_PARENT",
          absl::StrCat("the organisation's place ", before->area_path(),
                       " lies outside the new parent's place ", parent->area_path()));
    }
    const std::string old_path = before->path();
    const std::string new_path = ChildPath(parent->path(), before->code());
    moved = *before;
    if (new_path == old_path) return absl::OkStatus();
    auto& select = c.Prepare(absl::StrCat("SELECT ", kOrganisationColumns,
                                          " FROM organisations WHERE path LIKE ? ORDER BY path"
                                          " FOR UPDATE"));
    select.setString(1, DescendantsLikePattern(old_path));
    std::vector<v1::Organisation> descendants;
    {
      auto rows = c.Query(select);
      while (rows->next()) descendants.push_back(ReadOrganisation(*rows));
    }
    const std::string now = db::ToDbTime(write.now);
    auto& update = c.Prepare(
        "UPDATE organisations SET parent_id = ?, path = ?, version = version + 1, update_time = ?"
        " WHERE id = ?");
    update.setString(1, parent->id());
    update.setString(2, new_path);
    update.setString(3, now);
    update.setString(4, id);
    try {
      update.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != db::kDuplicateKey) throw;
      return AlreadyExists("ORGANISATION_CODE_TAKEN",
                           absl::StrCat("an organisation with path ", new_path, " already exists"));
    }
    auto& rewrite = c.Prepare(
        "UPDATE organisations SET path = CONCAT(?, SUBSTRING(path, ?)), version = version + 1,"
        " update_time = ? WHERE path LIKE ?");
    rewrite.setString(1, new_path);
    rewrite.setInt(2, static_cast<int>(old_path.size()) + 1);
    rewrite.setString(3, now);
    rewrite.setString(4, DescendantsLikePattern(old_path));
    rewrite.executeUpdate();
    moved.set_parent_id(parent->id());
    moved.set_path(new_path);
    moved.set_etag(EtagOf(VersionOf(*before) + 1));
    ToProtoTime(write.now, moved.mutable_update_time());
    WriteChange(c, changes_, write, common::v1::Change::MOVED, moved, &*before);
    for (const auto& old : descendants) {
      v1::Organisation after = old;
      after.set_path(new_path + old.path().substr(old_path.size()));
      after.set_etag(EtagOf(VersionOf(old) + 1));
      ToProtoTime(write.now, after.mutable_update_time());
      WriteChange(c, changes_, write, common::v1::Change::MOVED, after, &old,
                  /*consequence=*/true);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return moved;
}

void OrganisationStore::FollowAreaMove(db::Connection& c, const ChangeLog& changes,
                                       const WriteContext& write, const std::string& old_path,
                                       const std::string& new_path) {
  auto& select =
      c.Prepare(absl::StrCat("SELECT ", kOrganisationColumns,
                             " FROM organisations WHERE area_path = ? OR area_path LIKE ?"
                             " ORDER BY path FOR UPDATE"));
  select.setString(1, old_path);
  select.setString(2, DescendantsLikePattern(old_path));
  std::vector<v1::Organisation> bound;
  {
    auto rows = c.Query(select);
    while (rows->next()) bound.push_back(ReadOrganisation(*rows));
  }
  if (bound.empty()) return;
  auto& rewrite = c.Prepare(
      "UPDATE organisations SET area_path = CONCAT(?, SUBSTRING(area_path, ?)),"
      " version = version + 1, update_time = ? WHERE area_path = ? OR area_path LIKE ?");
  rewrite.setString(1, new_path);
  rewrite.setInt(2, static_cast<int>(old_path.size()) + 1);
  rewrite.setString(3, db::ToDbTime(write.now));
  rewrite.setString(4, old_path);
  rewrite.setString(5, DescendantsLikePattern(old_path));
  rewrite.executeUpdate();
  for (const auto& old : bound) {
    v1::Organisation after = old;
    after.set_area_path(new_path + old.area_path().substr(old_path.size()));
    after.set_etag(EtagOf(VersionOf(old) + 1));
    ToProtoTime(write.now, after.mutable_update_time());
    WriteChange(c, changes, write, common::v1::Change::MOVED, after, &old, /*consequence=*/true);
  }
}

std::optional<v1::Organisation> OrganisationStore::FindActiveInScope(db::Connection& c,
                                                                     const std::string& scope,
                                                                     const std::string& id) {
  auto found = FindById(c, scope, id, " LOCK IN SHARE MODE");
  if (!found || found->state() != v1::ACTIVE) return std::nullopt;
  return found;
}

std::optional<v1::Organisation> OrganisationStore::FindActiveByPathInScope(
    db::Connection& c, const std::string& scope, const std::string& path) {
  auto found = FindByPath(c, path);
  if (!found || found->state() != v1::ACTIVE || !PathWithin(found->area_path(), scope)) {
    return std::nullopt;
  }
  return found;
}

std::optional<v1::Organisation> OrganisationStore::LockActiveInScope(db::Connection& c,
                                                                     const std::string& scope,
                                                                     const std::string& id) {
  auto found = FindById(c, scope, id, " FOR UPDATE");
  if (!found || found->state() != v1::ACTIVE) return std::nullopt;
  return found;
}

absl::StatusOr<v1::Organisation> OrganisationStore::FindListable(db::Connection& c,
                                                                 const std::string& scope,
                                                                 const std::string& id) {
  auto found = FindParent(c, scope, id, "");
  if (found) return *std::move(found);
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "the organisation lies outside the caller's jurisdiction");
  }
  return InvalidField("organisation_id", "ORGANISATION_NOT_FOUND", "no such organisation");
}

bool OrganisationStore::AnyBoundTo(db::Connection& c, const std::string& area_id) {
  auto& select = c.Prepare("SELECT 1 FROM organisations WHERE area_id = ? LIMIT 1");
  select.setString(1, area_id);
  return c.Query(select)->next();
}

absl::StatusOr<v1::Organisation> OrganisationStore::Dissolve(const std::string& scope,
                                                             const WriteContext& write,
                                                             const std::string& id,
                                                             const std::string& etag,
                                                             const std::string& reason) {
  v1::Organisation dissolved;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindById(c, scope, id, " FOR UPDATE");
    if (!before) return Hidden(scope, "id");
    if (auto s = CheckEtag("etag", etag, VersionOf(*before)); !s.ok()) return s;
    if (before->state() != v1::ACTIVE) {
      return FailedPrecondition("ORGANISATION_DISSOLVED", "the organisation is already dissolved");
    }
    // Locks the active children so none is added or revived meanwhile.
    auto& children = c.Prepare(
        "SELECT COUNT(*) FROM organisations WHERE parent_id = ? AND state = ? LOCK IN SHARE MODE");
    children.setString(1, id);
    children.setInt(2, v1::ACTIVE);
    auto rows = c.Query(children);
    const int64_t active = rows->next() ? rows->getInt64(1) : 0;
    if (active > 0) {
      return FailedPrecondition(
          "ORGANISATION_HAS_CHILDREN",
          absl::StrCat("the organisation still has ", active,
                       " active organisation(s) under it; dissolve or move them first"));
    }
    // A member is never in no organisation: a temporary branch hands its
    // members back to where they came from; any other must transfer them first.
    const std::vector<std::string> members = MemberStore::LockMembersOf(c, id);
    if (!members.empty() && before->kind() != v1::TEMPORARY_BRANCH) {
      return FailedPrecondition(
          "ORGANISATION_HAS_MEMBERS",
          absl::StrCat("the organisation still has ", members.size(),
                       " member(s); transfer them to another organisation first"));
    }
    for (const std::string& member : members) {
      auto home_id = TransferStore::CameFrom(c, member, id);
      std::optional<v1::Organisation> home;
      if (home_id) home = FindById(c, "", *home_id, " LOCK IN SHARE MODE");
      if (!home || home->state() != v1::ACTIVE) {
        return FailedPrecondition(
            "TEMPORARY_MEMBER_HAS_NO_HOME",
            absl::StrCat("member ", member,
                         home_id ? " came from an organisation that has since been dissolved"
                                 : " joined the temporary branch directly",
                         "; transfer the member to a standing organisation first"));
      }
      MemberStore::MoveToOrganisation(c, changes_, write, member, id, *home);
      TransferStore::RecordCompleted(
          c, changes_, write, member, *before, *home,
          absl::StrCat("the temporary branch was dissolved", reason.empty() ? "" : ": ", reason));
    }
    dissolved = *before;
    dissolved.set_state(v1::DISSOLVED);
    dissolved.set_etag(EtagOf(VersionOf(*before) + 1));
    ToProtoTime(write.now, dissolved.mutable_update_time());
    ToProtoTime(write.now, dissolved.mutable_dissolve_time());
    dissolved.set_dissolve_reason(reason);
    const std::string now = db::ToDbTime(write.now);
    auto& update = c.Prepare(
        "UPDATE organisations SET state = ?, version = version + 1, update_time = ?,"
        " dissolve_time = ?, dissolve_reason = ? WHERE id = ?");
    update.setInt(1, v1::DISSOLVED);
    update.setString(2, now);
    update.setString(3, now);
    update.setString(4, reason);
    update.setString(5, id);
    update.executeUpdate();
    WriteChange(c, changes_, write, common::v1::Change::UPDATED, dissolved, &*before);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return dissolved;
}

}  // namespace grassroots::orgs
