#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/db/connection.h"
#include "grassroots/orgs/v1/organisation.pb.h"

namespace grassroots::orgs {

// Versions of organisations over time (organisation_versions), so the tree
// can be read as it stood at any past instant: moves, renames and
// dissolutions included.

// Inside the transaction of a change: ends the version in force and starts
// `after` from `now`.
void RecordOrganisationVersion(db::Connection& c, const v1::Organisation& after, absl::Time now);

// The SQL source of organisations as they stood at an instant: a FROM and
// the start of a WHERE, binding the instant twice from `index`. The columns
// are those of the organisations table.
inline constexpr char kOrganisationsAsOf[] =
    " FROM organisation_versions WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)";
int BindAsOf(sql::PreparedStatement& statement, int index, absl::Time as_of);

}  // namespace grassroots::orgs
