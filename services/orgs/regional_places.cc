#include "services/orgs/regional_places.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/scope_condition.h"
#include "common/status/errors.h"
#include "services/orgs/area_sql.h"

namespace grassroots::orgs {

std::optional<v1::Area> FindPlaceInScope(db::Connection& c, const std::string& scope,
                                         const std::string& area_id) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kAreaColumns, " FROM areas WHERE id = ?",
                                        db::InScope("path"), " LOCK IN SHARE MODE"));
  select.setString(1, area_id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadArea(*rows);
}

absl::Status PlaceHidden(const std::string& scope, absl::string_view field) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            absl::StrCat(field, " lies outside the caller's jurisdiction"));
  }
  return InvalidField(field, "AREA_NOT_FOUND", "no such area");
}

absl::StatusOr<std::string> ListingRoot(db::Connection& c, const std::string& scope,
                                        const std::string& area_id) {
  if (area_id.empty()) return scope;
  auto& select = c.Prepare("SELECT path FROM areas WHERE id = ?");
  select.setString(1, area_id);
  auto rows = c.Query(select);
  if (rows->next()) {
    std::string path = rows->getString(1);
    if (PathWithin(path, scope) || PathWithin(scope, path)) return path;
  }
  return PlaceHidden(scope, "area_id");
}

std::string Within(const char* path_column) { return db::InScope(path_column); }

int BindWithin(sql::PreparedStatement& statement, int index, const std::string& root) {
  return db::BindScope(statement, index, root);
}

}  // namespace grassroots::orgs
