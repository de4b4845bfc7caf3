#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/import/record_parser.h"
#include "grassroots/orgs/v1/area.pb.h"

namespace grassroots::orgs {

using AreaImportLine = ImportLine<v1::AreaImportRecord>;

// Parses a bulk import file of areas, validating each record's fields.
// Errors say which line and which column: "line 7: code: must be ...".
// CSV needs the header "kind,code,display_name,parent_path".
absl::StatusOr<std::vector<AreaImportLine>> ParseAreaImport(common::v1::FileFormat format,
                                                            absl::string_view data);

}  // namespace grassroots::orgs
