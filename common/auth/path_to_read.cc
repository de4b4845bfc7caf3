#include "common/auth/path_to_read.h"

#include "common/auth/scope.h"
#include "common/status/errors.h"

namespace grassroots {

absl::StatusOr<std::string> PathToRead(const std::string& scope, const std::string& path) {
  if (path.empty()) return scope;
  if (!PathWithin(path, scope)) {
    return PermissionDenied("OUT_OF_SCOPE", "path lies outside the caller's jurisdiction");
  }
  return path;
}

}  // namespace grassroots
