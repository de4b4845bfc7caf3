#include "services/orgs/area_store.h"

#include <cppconn/exception.h>

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_errors.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/import/import_result.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/admission_store.h"
#include "services/orgs/area_path_followers.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/area_sql.h"
#include "services/orgs/evaluation_store.h"
#include "services/orgs/linkage_store.h"
#include "services/orgs/organisation_store.h"
#include "services/orgs/place_store.h"
#include "services/orgs/regional_area_follow.h"

namespace grassroots::orgs {
namespace {

constexpr const char* kColumns = kAreaColumns;
using db::BindScope;

int64_t VersionOf(const v1::Area& area) { return std::stoll(area.etag()); }

// What a caller sees for an id that is not in its scope or not at all.
absl::Status Hidden(const std::string& scope, absl::string_view field) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the area lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError(absl::StrCat(field, ": no such area")), "AREA_NOT_FOUND");
}

// `lock` is "" or " FOR UPDATE" / " LOCK IN SHARE MODE".
std::optional<v1::Area> FindById(db::Connection& c, const std::string& scope, const std::string& id,
                                 const char* lock) {
  auto& select = c.Prepare(
      absl::StrCat("SELECT ", kColumns, " FROM areas WHERE id = ?", db::InScope("path"), lock));
  select.setString(1, id);
  BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadArea(*rows);
}

std::optional<v1::Area> FindByPath(db::Connection& c, const std::string& path) {
  auto& select =
      c.Prepare(absl::StrCat("SELECT ", kColumns, " FROM areas WHERE path = ? LOCK IN SHARE MODE"));
  select.setString(1, path);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadArea(*rows);
}

absl::Status CodeTaken(const std::string& path) {
  return AlreadyExists("AREA_CODE_TAKEN",
                       absl::StrCat("an area with path ", path, " already exists"));
}

// The area a create would make under `parent` (nullopt for a district),
// after checking placement and scope; nothing is written.
absl::StatusOr<v1::Area> PlanArea(const std::string& scope, const WriteContext& write,
                                  const v1::Area& requested,
                                  const std::optional<v1::Area>& parent) {
  if (auto s =
          ValidatePlacement(requested.kind(), parent ? parent->kind() : v1::AREA_KIND_UNSPECIFIED);
      !s.ok()) {
    return s;
  }
  v1::Area area;
  area.set_id(NewId("ar", write.now));
  area.set_kind(requested.kind());
  area.set_code(requested.code());
  area.set_display_name(requested.display_name());
  if (parent) area.set_parent_id(parent->id());
  area.set_path(ChildPath(parent ? parent->path() : "", requested.code()));
  if (!PathWithin(area.path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "the new area would lie outside the caller's jurisdiction");
  }
  area.set_etag(EtagOf(1));
  ToProtoTime(write.now, area.mutable_create_time());
  ToProtoTime(write.now, area.mutable_update_time());
  return area;
}

// Inserts planned areas in one statement, with their change rows in another.
// Throws sql::SQLException (duplicate key included) like any statement.
void InsertAreas(db::Connection& c, const ChangeLog& changes,
                 const std::vector<const v1::Area*>& areas,
                 const std::vector<const WriteContext*>& writes) {
  constexpr int kColumns = 9;
  auto& insert = c.Prepare(
      absl::StrCat("INSERT INTO areas (id, kind, code, display_name, parent_id, path, version,"
                   " create_time, update_time) VALUES ",
                   db::ParameterRows(kColumns, static_cast<int>(areas.size()))));
  int index = 1;
  std::vector<ChangeLog::Entry> entries;
  entries.reserve(areas.size());
  for (size_t i = 0; i < areas.size(); ++i) {
    const v1::Area& area = *areas[i];
    const std::string now = db::ToDbTime(writes[i]->now);
    insert.setString(index++, area.id());
    insert.setInt(index++, area.kind());
    insert.setString(index++, area.code());
    insert.setString(index++, area.display_name());
    if (area.parent_id().empty()) {
      insert.setNull(index++, sql::DataType::VARCHAR);
    } else {
      insert.setString(index++, area.parent_id());
    }
    insert.setString(index++, area.path());
    insert.setInt64(index++, 1);
    insert.setString(index++, now);
    insert.setString(index++, now);
    entries.push_back(
        {writes[i], {area.id(), common::v1::Change::CREATED, area.path(), &area, nullptr}});
  }
  insert.executeUpdate();
  changes.AppendAll(c, entries);
}

// Plans and inserts one area; shared by Create and Import.
absl::StatusOr<v1::Area> InsertArea(db::Connection& c, const ChangeLog& changes,
                                    const std::string& scope, const WriteContext& write,
                                    const v1::Area& requested,
                                    const std::optional<v1::Area>& parent) {
  auto area = PlanArea(scope, write, requested, parent);
  if (!area.ok()) return area.status();
  try {
    InsertAreas(c, changes, {&*area}, {&write});
  } catch (const sql::SQLException& e) {
    // The area's path, or the caller's request id on the change row: either
    // way the caller (Create) checks for an earlier result by request id.
    if (e.getErrorCode() == db::kDuplicateKey) return CodeTaken(area->path());
    throw;
  }
  return area;
}

}  // namespace

std::vector<absl::StatusOr<v1::Area>> AreaStore::CreateMany(
    const std::vector<CreateRequest>& requests) {
  std::vector<absl::StatusOr<v1::Area>> results(requests.size(),
                                                absl::UnknownError("not attempted"));
  if (requests.size() == 1) {
    results[0] = Create(requests[0].scope, requests[0].write, requests[0].area);
    return results;
  }
  std::vector<v1::Area> planned(requests.size());
  std::vector<bool> in_batch(requests.size(), false);
  bool all_idempotent = true;
  for (const auto& r : requests) all_idempotent = all_idempotent && !r.write.request_id.empty();
  // Any surprise (a duplicate path or request id, a lost commit without
  // request ids) sends the whole batch down the one-by-one path, which
  // knows how to answer each case.
  bool fall_back = false;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        fall_back = false;
        std::vector<std::string> parent_ids;
        for (const auto& r : requests) {
          if (!r.area.parent_id().empty()) parent_ids.push_back(r.area.parent_id());
        }
        std::sort(parent_ids.begin(), parent_ids.end());
        parent_ids.erase(std::unique(parent_ids.begin(), parent_ids.end()), parent_ids.end());
        absl::flat_hash_map<std::string, v1::Area> parents;
        if (!parent_ids.empty()) {
          auto& select = c.Prepare(absl::StrCat(
              "SELECT ", kColumns, " FROM areas WHERE id IN (",
              db::ParameterList(static_cast<int>(parent_ids.size())), ") LOCK IN SHARE MODE"));
          for (size_t i = 0; i < parent_ids.size(); ++i) {
            select.setString(static_cast<int>(i) + 1, parent_ids[i]);
          }
          auto rows = c.Query(select);
          while (rows->next()) {
            v1::Area parent = ReadArea(*rows);
            std::string id = parent.id();
            parents.emplace(std::move(id), std::move(parent));
          }
        }
        std::vector<const v1::Area*> areas;
        std::vector<const WriteContext*> writes;
        absl::flat_hash_set<std::string> paths;
        for (size_t i = 0; i < requests.size(); ++i) {
          const CreateRequest& r = requests[i];
          std::optional<v1::Area> parent;
          if (!r.area.parent_id().empty()) {
            auto it = parents.find(r.area.parent_id());
            if (it == parents.end() || !PathWithin(it->second.path(), r.scope)) {
              results[i] = Hidden(r.scope, "area.parent_id");
              continue;
            }
            parent = it->second;
          }
          auto area = PlanArea(r.scope, r.write, r.area, parent);
          if (!area.ok()) {
            results[i] = area.status();
            continue;
          }
          if (!paths.insert(area->path()).second) {
            fall_back = true;
            return absl::AbortedError("two creates in one batch share a path");
          }
          planned[i] = *std::move(area);
          in_batch[i] = true;
          areas.push_back(&planned[i]);
          writes.push_back(&r.write);
        }
        if (areas.empty()) return absl::OkStatus();
        try {
          InsertAreas(c, changes_, areas, writes);
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          fall_back = true;
          return absl::AbortedError("duplicate key in batch");
        }
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = all_idempotent});
  if (fall_back) {
    for (size_t i = 0; i < requests.size(); ++i) {
      results[i] = Create(requests[i].scope, requests[i].write, requests[i].area);
    }
    return results;
  }
  for (size_t i = 0; i < requests.size(); ++i) {
    if (!in_batch[i]) continue;
    if (!status.ok()) {
      results[i] = status;
    } else {
      if (cache_ != nullptr) cache_->Upsert(planned[i]);
      results[i] = planned[i];
    }
  }
  return results;
}

absl::StatusOr<v1::Area> AreaStore::Create(const std::string& scope, const WriteContext& write,
                                           const v1::Area& requested) {
  v1::Area created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        std::optional<v1::Area> parent;
        if (!requested.parent_id().empty()) {
          parent = FindById(c, scope, requested.parent_id(), " LOCK IN SHARE MODE");
          if (!parent) return Hidden(scope, "area.parent_id");
        }
        auto area = InsertArea(c, changes_, scope, write, requested, parent);
        if (!area.ok()) return area.status();
        created = *std::move(area);
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) {
    if (cache_ != nullptr) cache_->Upsert(created);
    return created;
  }
  return EarlierResultOr<v1::Area>(pool_, changes_, write, status);
}

std::optional<absl::StatusOr<v1::Area>> AreaStore::GetCached(const std::string& scope,
                                                             const std::string& id) const {
  if (cache_ == nullptr || !cache_->loaded()) return std::nullopt;
  auto area = cache_->Find(id);
  if (!area) return std::nullopt;  // maybe created by another replica moments ago
  if (!PathWithin(area->path(), scope)) return Hidden(scope, "id");
  return *std::move(area);
}

std::optional<v1::Area> AreaStore::FindInScope(db::Connection& c, const std::string& scope,
                                               const std::string& id) {
  return FindById(c, scope, id, " LOCK IN SHARE MODE");
}

std::optional<v1::Area> AreaStore::FindByPathInScope(db::Connection& c, const std::string& scope,
                                                     const std::string& path) {
  if (!PathWithin(path, scope)) return std::nullopt;
  return FindByPath(c, path);
}

absl::StatusOr<v1::Area> AreaStore::Get(const std::string& scope, const std::string& id) {
  if (auto cached = GetCached(scope, id)) return *std::move(cached);
  std::optional<v1::Area> area;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    area = FindById(c, scope, id, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!area) return Hidden(scope, "id");
  return *area;
}

absl::StatusOr<AreaPage> AreaStore::List(const std::string& scope, const std::string& parent_id,
                                         bool subtree, int page_size,
                                         const std::string& after_path) {
  AreaPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    std::string sql = absl::StrCat("SELECT ", kColumns, " FROM areas WHERE path > ?");
    std::vector<std::string> binds = {after_path};
    std::optional<v1::Area> parent;
    if (!parent_id.empty()) {
      parent = FindById(c, scope, parent_id, "");
      if (!parent) return Hidden(scope, "parent_id");
      if (subtree) {
        absl::StrAppend(&sql, " AND path LIKE ?");
        binds.push_back(DescendantsLikePattern(parent->path()));
      } else {
        absl::StrAppend(&sql, " AND parent_id = ?");
        binds.push_back(parent->id());
      }
    } else if (scope.empty()) {
      if (!subtree) absl::StrAppend(&sql, " AND parent_id IS NULL");
    } else {
      absl::StrAppend(&sql, subtree ? " AND (path = ? OR path LIKE ?)" : " AND path = ?");
      binds.push_back(scope);
      if (subtree) binds.push_back(DescendantsLikePattern(scope));
    }
    absl::StrAppend(&sql, " ORDER BY path LIMIT ?");
    auto& select = c.Prepare(sql);
    int index = 1;
    for (const auto& b : binds) select.setString(index++, b);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.areas.push_back(ReadArea(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.areas.size()) > page_size) {
    page.areas.pop_back();
    page.last_path = page.areas.back().path();
  }
  return page;
}

absl::StatusOr<v1::Area> AreaStore::UpdateDisplayName(const std::string& scope,
                                                      const WriteContext& write,
                                                      const std::string& id,
                                                      const std::string& etag,
                                                      const std::string& display_name) {
  v1::Area updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindById(c, scope, id, " FOR UPDATE");
    if (!before) return Hidden(scope, "area.id");
    if (auto s = CheckEtag("area.etag", etag, VersionOf(*before)); !s.ok()) return s;
    updated = *before;
    updated.set_display_name(display_name);
    updated.set_etag(EtagOf(VersionOf(*before) + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE areas SET display_name = ?, version = version + 1, update_time = ? WHERE id = ?");
    update.setString(1, display_name);
    update.setString(2, db::ToDbTime(write.now));
    update.setString(3, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, updated.path(), &updated, &*before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (cache_ != nullptr) cache_->Upsert(updated);
  return updated;
}

absl::StatusOr<v1::Area> AreaStore::Move(const std::string& scope, const WriteContext& write,
                                         const std::string& id, const std::string& new_parent_id,
                                         const std::string& etag) {
  v1::Area moved;
  std::vector<v1::Area> moved_below;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    moved_below.clear();
    auto before = FindById(c, scope, id, " FOR UPDATE");
    if (!before) return Hidden(scope, "id");
    if (auto s = CheckEtag("etag", etag, VersionOf(*before)); !s.ok()) return s;
    auto parent = FindById(c, scope, new_parent_id, " LOCK IN SHARE MODE");
    if (!parent) return Hidden(scope, "new_parent_id");
    if (IsSelfOrDescendant(parent->path(), before->path())) {
      return FailedPrecondition("AREA_MOVE_CYCLE", "an area cannot move below itself");
    }
    if (auto s = ValidatePlacement(before->kind(), parent->kind()); !s.ok()) return s;
    const std::string old_path = before->path();
    const std::string new_path = ChildPath(parent->path(), before->code());
    if (!PathWithin(new_path, scope)) {
      return PermissionDenied("OUT_OF_SCOPE",
                              "the destination lies outside the caller's jurisdiction");
    }
    moved = *before;
    if (new_path == old_path) return absl::OkStatus();

    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kColumns, " FROM areas WHERE path LIKE ? ORDER BY path FOR UPDATE"));
    select.setString(1, DescendantsLikePattern(old_path));
    std::vector<v1::Area> descendants;
    {
      auto rows = c.Query(select);
      while (rows->next()) descendants.push_back(ReadArea(*rows));
    }
    auto& update = c.Prepare(
        "UPDATE areas SET parent_id = ?, path = ?, version = version + 1, update_time = ?"
        " WHERE id = ?");
    update.setString(1, parent->id());
    update.setString(2, new_path);
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, id);
    try {
      update.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() == db::kDuplicateKey) return CodeTaken(new_path);
      throw;
    }
    auto& rewrite = c.Prepare(
        "UPDATE areas SET path = CONCAT(?, SUBSTRING(path, ?)), version = version + 1,"
        " update_time = ? WHERE path LIKE ?");
    rewrite.setString(1, new_path);
    rewrite.setInt(2, static_cast<int>(old_path.size()) + 1);
    rewrite.setString(3, db::ToDbTime(write.now));
    rewrite.setString(4, DescendantsLikePattern(old_path));
    rewrite.executeUpdate();
    OrganisationStore::FollowAreaMove(c, changes_, write, old_path, new_path);
    FollowAreaMoveInRecords(c, old_path, new_path);
    FollowAreaMoveInRegionalRecords(c, changes_, write, old_path, new_path);
    LinkageStore::FollowAreaMove(c, changes_, write, old_path, new_path);
    EvaluationStore::FollowAreaMove(c, changes_, write, old_path, new_path);
    AdmissionStore::FollowAreaMove(c, changes_, write, old_path, new_path);

    moved.set_parent_id(parent->id());
    moved.set_path(new_path);
    moved.set_etag(EtagOf(VersionOf(*before) + 1));
    ToProtoTime(write.now, moved.mutable_update_time());
    changes_.Append(c, write, {id, common::v1::Change::MOVED, new_path, &moved, &*before});
    for (const auto& old : descendants) {
      v1::Area now = old;
      now.set_path(new_path + old.path().substr(old_path.size()));
      now.set_etag(EtagOf(VersionOf(old) + 1));
      ToProtoTime(write.now, now.mutable_update_time());
      ChangeRecord record{now.id(), common::v1::Change::MOVED, now.path(), &now, &old};
      record.carries_request_id = false;
      changes_.Append(c, write, record);
      moved_below.push_back(std::move(now));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (cache_ != nullptr) {
    cache_->Upsert(moved);
    for (const auto& area : moved_below) cache_->Upsert(area);
  }
  return moved;
}

absl::Status AreaStore::Delete(const std::string& scope, const WriteContext& write,
                               const std::string& id, const std::string& etag) {
  int64_t deleted_version = 0;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindById(c, scope, id, " FOR UPDATE");
    if (!before) return Hidden(scope, "id");
    if (auto s = CheckEtag("etag", etag, VersionOf(*before)); !s.ok()) return s;
    auto& children = c.Prepare("SELECT 1 FROM areas WHERE parent_id = ? LIMIT 1");
    children.setString(1, id);
    if (c.Query(children)->next()) {
      return FailedPrecondition("AREA_HAS_CHILDREN",
                                "the area still has areas under it; move or delete them first");
    }
    if (OrganisationStore::AnyBoundTo(c, id)) {
      return FailedPrecondition("AREA_HAS_ORGANISATIONS",
                                "party organisations belong to this area (dissolved ones keep "
                                "their history there); it cannot be deleted");
    }
    if (PlaceStore::AnyIn(c, id)) {
      return FailedPrecondition("AREA_HAS_PLACES",
                                "compounds or workplaces lie in this area; it cannot be deleted");
    }
    if (auto s = CheckNoRegionalRecordsAt(c, id); !s.ok()) return s;
    if (LinkageStore::AnyAt(c, id)) {
      return FailedPrecondition("AREA_HAS_LINKS",
                                "officials or units are linked to this area (ended links keep "
                                "their history there); it cannot be deleted");
    }
    if (AdmissionStore::AnyFor(c, id)) {
      return FailedPrecondition("AREA_HAS_ADMISSION_LISTS",
                                "this area's admission lists keep their history here; it cannot "
                                "be deleted");
    }
    auto& remove = c.Prepare("DELETE FROM areas WHERE id = ?");
    remove.setString(1, id);
    remove.executeUpdate();
    changes_.Append(c, write, {id, common::v1::Change::DELETED, before->path(), nullptr, &*before});
    deleted_version = VersionOf(*before);
    return absl::OkStatus();
  });
  if (status.ok() && cache_ != nullptr) cache_->Erase(id, deleted_version);
  return status;
}

absl::StatusOr<int> AreaStore::Import(const std::string& scope, const WriteContext& write,
                                      const std::vector<ImportLine<v1::AreaImportRecord>>& lines) {
  std::vector<v1::Area> created;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    created.clear();
    for (const auto& line : lines) {
      const auto& record = line.record;
      std::optional<v1::Area> parent;
      if (!record.parent_path().empty()) {
        parent = FindByPath(c, record.parent_path());
        if (!parent || (!PathWithin(parent->path(), scope) && !PathWithin(scope, parent->path()))) {
          return AtLine(line.line_number,
                        InvalidField("parent_path", "AREA_PARENT_NOT_FOUND",
                                     absl::StrCat("no area has path ", record.parent_path())));
        }
      }
      v1::Area requested;
      requested.set_kind(record.kind());
      requested.set_code(record.code());
      requested.set_display_name(record.display_name());
      WriteContext line_write = write;
      line_write.request_id.clear();  // the import's request id marks its result only
      auto area = InsertArea(c, changes_, scope, line_write, requested, parent);
      if (!area.ok()) return AtLine(line.line_number, area.status());
      created.push_back(*std::move(area));
    }
    common::v1::ImportResult result;
    result.set_created_count(static_cast<int>(created.size()));
    RecordImportResult(c, changes_, write, "areas", scope, result);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    // A retry of an import that was done: its first answer, nothing added.
    auto earlier = ImportedEarlierOr(pool_, changes_, write, status);
    if (!earlier.ok()) return earlier.status();
    return earlier->created_count();
  }
  if (cache_ != nullptr) {
    for (const auto& area : created) cache_->Upsert(area);
  }
  return static_cast<int>(created.size());
}

}  // namespace grassroots::orgs
