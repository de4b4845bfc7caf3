#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/grid/work_calendar.h"

namespace grassroots::grid {

// The only code that speaks SQL about categories, departments and working
// calendars. They belong to the whole city (no scope): every street's cases
// run on the same categories.
class CaseSetupStore {
 public:
  CaseSetupStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // ALREADY_EXISTS (CATEGORY_EXISTS); INVALID_ARGUMENT when its department is unknown.
  absl::StatusOr<v1::CaseCategory> CreateCategory(const WriteContext& write,
                                                  const v1::CaseCategory& category);
  absl::StatusOr<v1::CaseCategory> GetCategory(const std::string& code);
  absl::StatusOr<std::vector<v1::CaseCategory>> ListCategories();

  // ALREADY_EXISTS (DEPARTMENT_EXISTS) for a code taken; idempotent by request id.
  absl::StatusOr<v1::Department> CreateDepartment(const WriteContext& write,
                                                  const v1::Department& department);
  absl::StatusOr<std::vector<v1::Department>> ListDepartments();
  // Whether a department has this id (one row read by primary key).
  absl::StatusOr<bool> DepartmentExists(const std::string& id);

  absl::StatusOr<v1::WorkCalendar> SetCalendar(const WriteContext& write,
                                               const std::string& area_path,
                                               const WorkCalendarRules& rules);
  // The calendar of `path` or of its nearest ancestor that has one, else the
  // city default; `found_at` is that ancestor ('' for the default).
  absl::StatusOr<WorkCalendarRules> CalendarFor(const std::string& path,
                                                std::string* found_at = nullptr);

  // The same, inside a caller's transaction.
  static std::optional<v1::CaseCategory> FindCategory(db::Connection& c, const std::string& code);
  // The categories of these codes that exist, by code, in one statement.
  static absl::flat_hash_map<std::string, v1::CaseCategory> FindCategories(
      db::Connection& c, const std::vector<std::string>& codes);
  static std::optional<v1::Department> FindDepartment(db::Connection& c, const std::string& id);
  static std::optional<v1::Department> FindDepartmentByCode(db::Connection& c,
                                                            const std::string& code);
  static WorkCalendarRules FindCalendar(db::Connection& c, const std::string& path,
                                        std::string* found_at = nullptr);
  // FindCalendar for several paths in one statement, by path.
  static absl::flat_hash_map<std::string, WorkCalendarRules> FindCalendars(
      db::Connection& c, const std::vector<std::string>& paths);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::grid
