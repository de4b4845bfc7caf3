#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grassroots/common/v1/principal.pb.h"

namespace grassroots {

// True when `path` is `scope` itself or lies below it. An empty scope is the
// whole city.
bool PathWithin(absl::string_view path, absl::string_view scope);

// PERMISSION_DENIED (reason OUT_OF_SCOPE) unless the path lies in the
// principal's scope. The message never says whether anything exists there.
absl::Status RequireInScope(const common::v1::Principal& principal, absl::string_view path);

bool HasRole(const common::v1::Principal& principal, absl::string_view role);

// The SQL LIKE pattern matching everything strictly below `path`
// (escaping LIKE's wildcards in codes).
std::string DescendantsLikePattern(absl::string_view path);

}  // namespace grassroots
