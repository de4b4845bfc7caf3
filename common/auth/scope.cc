#include "common/auth/scope.h"

#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace grassroots {

bool PathWithin(absl::string_view path, absl::string_view scope) {
  if (scope.empty()) return true;
  if (path.size() < scope.size() || path.substr(0, scope.size()) != scope) return false;
  return path.size() == scope.size() || path[scope.size()] == '/';
}

absl::Status RequireInScope(const common::v1::Principal& principal, absl::string_view path) {
  if (PathWithin(path, principal.scope_path())) return absl::OkStatus();
  return PermissionDenied("OUT_OF_SCOPE", "the record lies outside the caller's jurisdiction");
}

bool HasRole(const common::v1::Principal& principal, absl::string_view role) {
  for (const auto& r : principal.roles()) {
    if (r == role) return true;
  }
  return false;
}

std::string DescendantsLikePattern(absl::string_view path) {
  std::string out;
  out.reserve(path.size() + 3);
  for (char c : path) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.append("/%");
  return out;
}

}  // namespace grassroots
