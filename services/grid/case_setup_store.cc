#include "services/grid/case_setup_store.h"

#include <cppconn/exception.h>

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

std::optional<v1::Department> CaseSetupStore::FindDepartment(db::Connection& c,
                                                             const std::string& id) {
  return FindDepartmentWhere(c, "id", id);
}

std::optional<v1::Department> CaseSetupStore::FindDepartmentByCode(db::Connection& c,
                                                                   const std::string& code) {
  return FindDepartmentWhere(c, "code", code);
}

WorkCalendarRules CaseSetupStore::FindCalendar(db::Connection& c, const std::string& path,
                                               std::string* found_at) {
  const std::vector<std::string> candidates = SelfAndAncestors(path);
  // One statement per depth (a path is a handful of segments): prepared once each.
  auto& select = c.Prepare(
      absl::StrCat("SELECT area_path, definition FROM work_calendars WHERE area_path IN (",
                   db::ParameterList(static_cast<int>(candidates.size())),
                   ") ORDER BY LENGTH(area_path) DESC LIMIT 1"));
  for (size_t i = 0; i < candidates.size(); ++i) {
    select.setString(static_cast<int>(i + 1), candidates[i]);
  }
  auto rows = c.Query(select);
  if (found_at != nullptr) found_at->clear();
  if (!rows->next()) return DefaultWorkCalendar();
  v1::WorkCalendar stored;
  stored.ParseFromString(std::string(rows->getString(2)));
  auto rules = ParseWorkCalendar(stored);
  if (!rules.ok()) return DefaultWorkCalendar();  // stored only after the same check
  if (found_at != nullptr) *found_at = rows->getString(1);
  return *rules;
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
