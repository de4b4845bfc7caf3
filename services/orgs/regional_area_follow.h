#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/changes/change_log.h"
#include "common/db/connection.h"

namespace grassroots::orgs {

// How the area store keeps regional party building's records in step with
// the jurisdiction tree, inside its own transactions (each regional store
// rewrites its own tables).

// After the areas under `old_path` moved to `new_path`: resident units
// follow, each with a change row (the other regional tables are in the list
// of area_path_followers.cc).
void FollowAreaMoveInRegionalRecords(db::Connection& c, const ChangeLog& changes,
                                     const WriteContext& write, const std::string& old_path,
                                     const std::string& new_path);

// FAILED_PRECONDITION while resident units are registered, or needs were
// published, at the area: deleting it would orphan them.
absl::Status CheckNoRegionalRecordsAt(db::Connection& c, const std::string& area_id);

}  // namespace grassroots::orgs
