#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grassroots/orgs/v1/area.pb.h"

namespace grassroots::orgs {

// The shape of the jurisdiction tree: which kind of area may sit under which.
// Pure rules, no I/O.

// Codes: 1-32 of a-z, 0-9, '-' and '_', starting with a letter or digit.
absl::Status ValidateAreaCode(absl::string_view field, absl::string_view code);
// Display names: 1-200 bytes of valid UTF-8 without control characters.
absl::Status ValidateDisplayName(absl::string_view field, absl::string_view name);
absl::Status ValidateKind(absl::string_view field, v1::AreaKind kind);

// A district has no parent; a street or town sits under a district; a
// community under a street or town. `parent_kind` is UNSPECIFIED for a root.
absl::Status ValidatePlacement(v1::AreaKind kind, v1::AreaKind parent_kind);

// The path of a child: "<parent_path>/<code>", or the code for a root.
std::string ChildPath(absl::string_view parent_path, absl::string_view code);

// True when `path` is `ancestor` or lies below it (a move must not make an
// area its own descendant).
bool IsSelfOrDescendant(absl::string_view path, absl::string_view ancestor);

// Etags are the row version in decimal; an empty etag skips the check.
std::string EtagOf(int64_t version);
absl::Status CheckEtag(absl::string_view field, absl::string_view etag, int64_t version);

}  // namespace grassroots::orgs
