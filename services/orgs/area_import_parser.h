#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grassroots/orgs/v1/area.pb.h"
#include "services/orgs/area_store.h"

namespace grassroots::orgs {

// Parses a bulk import file into lines, validating each record's fields.
// Errors say which line and which column: "line 7: code: must be ...".
// CSV needs the header "kind,code,display_name,parent_path"; fields may be
// quoted ("a, b" and "" for a quote). Blank lines are skipped.
absl::StatusOr<std::vector<ImportLine>> ParseAreaImport(v1::ImportAreasRequest::Format format,
                                                        absl::string_view data);

// Splits one CSV line into fields (exposed for tests).
absl::StatusOr<std::vector<std::string>> SplitCsvLine(absl::string_view line);

}  // namespace grassroots::orgs
