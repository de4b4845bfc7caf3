#include "services/grid/case_setup_store.h"

#include <cppconn/exception.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/sql_errors.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/server/etag.h"
#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

v1::Department ReadDepartment(sql::ResultSet& r) {
  v1::Department d;
  d.set_id(r.getString(1));
  d.set_code(r.getString(2));
  d.set_name(r.getString(3));
  d.set_area_path(r.getString(4));
  return d;
}

v1::CaseCategory ReadCategory(sql::ResultSet& r) {
  v1::CaseCategory category;
  category.ParseFromString(std::string(r.getString(1)));
  category.set_etag(EtagOf(r.getInt64(2)));
  return category;
}

// "d01/s02/c03" → "", "d01", "d01/s02", "d01/s02/c03".
std::vector<std::string> SelfAndAncestors(const std::string& path) {
  std::vector<std::string> out = {""};
  std::string prefix;
  for (absl::string_view segment : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    prefix = prefix.empty() ? std::string(segment) : absl::StrCat(prefix, "/", segment);
    out.push_back(prefix);
  }
  return out;
}

// The department whose `column` (id or code, both unique) is `value`.
std::optional<v1::Department> FindDepartmentWhere(db::Connection& c, const char* column,
                                                  const std::string& value) {
  auto& select = c.Prepare(
      absl::StrCat("SELECT id, code, name, area_path FROM departments WHERE ", column, " = ?"));
  select.setString(1, value);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadDepartment(*rows);
}

}  // namespace

std::optional<v1::CaseCategory> CaseSetupStore::FindCategory(db::Connection& c,
                                                             const std::string& code) {
  auto& select = c.Prepare("SELECT definition, version FROM case_categories WHERE code = ?");
  select.setString(1, code);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadCategory(*rows);
}

absl::flat_hash_map<std::string, v1::CaseCategory> CaseSetupStore::FindCategories(
    db::Connection& c, const std::vector<std::string>& codes) {
  absl::flat_hash_map<std::string, v1::CaseCategory> found;
  db::ForEachRowIn(c, "SELECT definition, version FROM case_categories WHERE code", codes, "",
                   [&](sql::ResultSet& row) {
                     v1::CaseCategory category = ReadCategory(row);
                     std::string code = category.code();
                     found.emplace(std::move(code), std::move(category));
                   });
  return found;
}

std::optional<v1::Department> CaseSetupStore::FindDepartment(db::Connection& c,
                                                             const std::string& id) {
  return FindDepartmentWhere(c, "id", id);
}

std::optional<v1::Department> CaseSetupStore::FindDepartmentByCode(db::Connection& c,
                                                                   const std::string& code) {
  return FindDepartmentWhere(c, "code", code);
}

namespace {

// The calendars stored at any of `area_paths` that parse, by area path.
absl::flat_hash_map<std::string, WorkCalendarRules> StoredCalendars(
    db::Connection& c, const std::vector<std::string>& area_paths) {
  absl::flat_hash_map<std::string, WorkCalendarRules> stored;
  db::ForEachRowIn(c, "SELECT area_path, definition FROM work_calendars WHERE area_path",
                   area_paths, "", [&](sql::ResultSet& row) {
                     v1::WorkCalendar definition;
                     definition.ParseFromString(std::string(row.getString(2)));
                     auto rules = ParseWorkCalendar(definition);
                     // One that does not parse is skipped: it was stored only after the same check.
                     if (rules.ok())
                       stored.emplace(std::string(row.getString(1)), *std::move(rules));
                   });
  return stored;
}

// The calendar of `path`'s nearest holder among `stored`, else the city default.
WorkCalendarRules NearestCalendar(const absl::flat_hash_map<std::string, WorkCalendarRules>& stored,
                                  const std::string& path, std::string* found_at) {
  const std::vector<std::string> candidates = SelfAndAncestors(path);
  if (found_at != nullptr) found_at->clear();
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
    auto calendar = stored.find(*it);
    if (calendar == stored.end()) continue;
    if (found_at != nullptr) *found_at = *it;
    return calendar->second;
  }
  return DefaultWorkCalendar();
}

}  // namespace

WorkCalendarRules CaseSetupStore::FindCalendar(db::Connection& c, const std::string& path,
                                               std::string* found_at) {
  return NearestCalendar(StoredCalendars(c, SelfAndAncestors(path)), path, found_at);
}

absl::flat_hash_map<std::string, WorkCalendarRules> CaseSetupStore::FindCalendars(
    db::Connection& c, const std::vector<std::string>& paths) {
  absl::flat_hash_map<std::string, WorkCalendarRules> found;
  if (paths.empty()) return found;
  absl::flat_hash_set<std::string> candidates;
  for (const std::string& path : paths) {
    for (std::string& candidate : SelfAndAncestors(path)) candidates.insert(std::move(candidate));
  }
  const auto stored =
      StoredCalendars(c, std::vector<std::string>(candidates.begin(), candidates.end()));
  for (const std::string& path : paths) found.emplace(path, NearestCalendar(stored, path, nullptr));
  return found;
}

absl::StatusOr<v1::CaseCategory> CaseSetupStore::CreateCategory(const WriteContext& write,
                                                                const v1::CaseCategory& requested) {
  v1::CaseCategory created = requested;
  created.set_etag(EtagOf(1));
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    if (!requested.department_id().empty() && !FindDepartment(c, requested.department_id())) {
      return InvalidField("category.department_id", "DEPARTMENT_NOT_FOUND",
                          "no department has this id");
    }
    v1::CaseCategory stored = created;
    stored.clear_etag();
    auto& insert = c.Prepare(
        "INSERT INTO case_categories (code, kind, definition, version, create_time, update_time)"
        " VALUES (?, ?, ?, 1, ?, ?)");
    insert.setString(1, created.code());
    insert.setInt(2, created.kind());
    insert.setString(3, stored.SerializeAsString());
    insert.setString(4, db::ToDbTime(write.now));
    insert.setString(5, db::ToDbTime(write.now));
    try {
      insert.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != db::kDuplicateKey) throw;
      return AlreadyExists("CATEGORY_EXISTS", "a category with this code exists");
    }
    changes_.Append(c, write, {created.code(), common::v1::Change::CREATED, "", &created, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<v1::CaseCategory> CaseSetupStore::GetCategory(const std::string& code) {
  std::optional<v1::CaseCategory> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindCategory(c, code);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return NotFound("CATEGORY_NOT_FOUND", "no category has this code");
  return *found;
}

absl::StatusOr<std::vector<v1::CaseCategory>> CaseSetupStore::ListCategories() {
  std::vector<v1::CaseCategory> out;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare("SELECT definition, version FROM case_categories ORDER BY code");
    auto rows = c.Query(select);
    while (rows->next()) out.push_back(ReadCategory(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Department> CaseSetupStore::CreateDepartment(const WriteContext& write,
                                                                const v1::Department& requested) {
  v1::Department created = requested;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        created.set_id(NewId("dp", write.now));
        auto& insert = c.Prepare(
            "INSERT INTO departments (id, code, name, area_path, create_time)"
            " VALUES (?, ?, ?, ?, ?)");
        insert.setString(1, created.id());
        insert.setString(2, created.code());
        insert.setString(3, created.name());
        insert.setString(4, created.area_path());
        insert.setString(5, db::ToDbTime(write.now));
        try {
          insert.executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != db::kDuplicateKey) throw;
          return AlreadyExists("DEPARTMENT_EXISTS", "a department with this code exists");
        }
        changes_.Append(c, write,
                        {created.id(), common::v1::Change::CREATED, "", &created, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Department>(pool_, changes_, write, status);
}

absl::StatusOr<std::vector<v1::Department>> CaseSetupStore::ListDepartments() {
  std::vector<v1::Department> out;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare("SELECT id, code, name, area_path FROM departments ORDER BY code");
    auto rows = c.Query(select);
    while (rows->next()) out.push_back(ReadDepartment(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<bool> CaseSetupStore::DepartmentExists(const std::string& id) {
  bool found = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = FindDepartment(c, id).has_value();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<v1::WorkCalendar> CaseSetupStore::SetCalendar(const WriteContext& write,
                                                             const std::string& area_path,
                                                             const WorkCalendarRules& rules) {
  const v1::WorkCalendar calendar = ToProto(rules, area_path);
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& upsert = c.Prepare(
        "INSERT INTO work_calendars (area_path, definition, update_time) VALUES (?, ?, ?)"
        " ON DUPLICATE KEY UPDATE definition = VALUES(definition),"
        " update_time = VALUES(update_time)");
    upsert.setString(1, area_path);
    upsert.setString(2, calendar.SerializeAsString());
    upsert.setString(3, db::ToDbTime(write.now));
    upsert.executeUpdate();
    changes_.Append(c, write,
                    {area_path.empty() ? "default" : area_path, common::v1::Change::UPDATED,
                     area_path, &calendar, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return calendar;
}

absl::StatusOr<WorkCalendarRules> CaseSetupStore::CalendarFor(const std::string& path,
                                                              std::string* found_at) {
  WorkCalendarRules rules;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    rules = FindCalendar(c, path, found_at);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return rules;
}

}  // namespace grassroots::grid
