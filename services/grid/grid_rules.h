#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/text/text_rules.h"
#include "grassroots/orgs/v1/area.pb.h"

namespace grassroots::grid {

// Where a grid may lie, its code and path, and the names and texts of the
// records in a grid. Pure rules, no I/O.

// Codes: 1-32 of a-z, 0-9, '-' and '_', starting with a letter or digit
// (the same alphabet as orgs' area codes: a code is a path segment).
absl::Status ValidateGridCode(absl::string_view field, absl::string_view code);

// Names (of grids, compounds, buildings, units): 1-200 bytes of UTF-8
// without control characters.
absl::Status ValidateName(absl::string_view field, absl::string_view name);

// Why personal data is read (recorded with the read): required, at most
// 500 bytes of text.
absl::Status ValidatePurpose(absl::string_view purpose);

// A grid lies in a community (社区), nowhere else in orgs' tree.
absl::Status ValidateGridArea(absl::string_view field, orgs::v1::AreaKind kind,
                              absl::string_view area_path);

// "<community path>/<code>".
std::string GridPath(absl::string_view community_path, absl::string_view code);

}  // namespace grassroots::grid
