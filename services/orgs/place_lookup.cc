#include "services/orgs/place_lookup.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/scope_condition.h"
#include "common/status/errors.h"
#include "services/orgs/area_sql.h"

namespace grassroots::orgs {

std::optional<v1::Area> FindAreaInScope(db::Connection& c, const std::string& scope,
                                        const std::string& id) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kAreaColumns, " FROM areas WHERE id = ?",
                                        db::InScope("path"), " LOCK IN SHARE MODE"));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadArea(*rows);
}

absl::StatusOr<std::string> ListablePlacePath(db::Connection& c, const std::string& scope,
                                              const std::string& area_id) {
  if (area_id.empty()) return scope;
  auto& select = c.Prepare("SELECT path FROM areas WHERE id = ?");
  select.setString(1, area_id);
  auto rows = c.Query(select);
  if (rows->next()) {
    std::string path = rows->getString(1);
    if (PathWithin(path, scope)) return path;
    if (PathWithin(scope, path)) return scope;  // above the scope: the scope is what is seen
  }
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the area lies outside the caller's jurisdiction");
  }
  return InvalidField("area_id", "AREA_NOT_FOUND", "no such area");
}

absl::Status HiddenRecord(const std::string& scope, const char* what,
                          const char* not_found_reason) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            absl::StrCat("the ", what, " lies outside the caller's jurisdiction"));
  }
  return NotFound(not_found_reason, absl::StrCat("id: no such ", what));
}

}  // namespace grassroots::orgs
