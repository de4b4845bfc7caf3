#include "common/db/scope_condition.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"

namespace grassroots::db {

std::string InScope(const char* path_column) {
  return absl::StrCat(" AND (? = '' OR ", path_column, " = ? OR ", path_column, " LIKE ?)");
}

int BindScope(sql::PreparedStatement& statement, int index, const std::string& scope) {
  statement.setString(index, scope);
  statement.setString(index + 1, scope);
  statement.setString(index + 2, DescendantsLikePattern(scope));
  return index + 3;
}

}  // namespace grassroots::db
