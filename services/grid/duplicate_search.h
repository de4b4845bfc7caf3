#pragma once

#include <cppconn/prepared_statement.h>

#include "absl/time/time.h"
#include "services/grid/duplicate_rules.h"

namespace grassroots::grid {

// The SQL Report's duplicate search and ReportMany's share: a category's
// cases reported since a time inside a report's box, and the states in
// which a case can still take a repeat report.
inline constexpr char kReportedInBox[] =
    "create_time >= ? AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?";
inline constexpr char kStillOpen[] = "state NOT IN (?, ?, ?)";

// Bind kReportedInBox's and kStillOpen's parameters from `index`; each
// returns the index after them.
int BindReportedInBox(sql::PreparedStatement& statement, int index, absl::Time since,
                      const BoundingBox& box);
int BindStillOpen(sql::PreparedStatement& statement, int index);

}  // namespace grassroots::grid
