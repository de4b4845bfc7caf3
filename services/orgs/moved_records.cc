#include "services/orgs/moved_records.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"

namespace grassroots::orgs {

void RewritePaths(db::Connection& c, const char* table, const char* path_column,
                  const char* version_column, const char* update_time_column,
                  const WriteContext& write, const std::string& old_path,
                  const std::string& new_path) {
  const bool timed = update_time_column != nullptr;
  auto& rewrite =
      c.Prepare(absl::StrCat("UPDATE ", table, " SET ", path_column, " = CONCAT(?, SUBSTRING(",
                             path_column, ", ?)), ", version_column, " = ", version_column, " + 1",
                             timed ? absl::StrCat(", ", update_time_column, " = ?") : "", " WHERE ",
                             path_column, " = ? OR ", path_column, " LIKE ?"));
  int index = 1;
  rewrite.setString(index++, new_path);
  rewrite.setInt(index++, static_cast<int>(old_path.size()) + 1);
  if (timed) rewrite.setString(index++, db::ToDbTime(write.now));
  rewrite.setString(index++, old_path);
  rewrite.setString(index, DescendantsLikePattern(old_path));
  rewrite.executeUpdate();
}

}  // namespace grassroots::orgs
