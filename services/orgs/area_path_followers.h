#pragma once

#include <string>

#include "common/db/connection.h"

namespace grassroots::orgs {

// Records that carry the jurisdiction path of their place for scope checks
// (members, dues payments, transfers, places, region settings) follow when
// an area subtree moves from `old_path` to `new_path`, in the transaction
// that moves it, so scope stays right. The area's own MOVED change row
// records the cause; organisations, which are resources of the feed in
// their own right, get rows of their own (OrganisationStore::FollowAreaMove).
// A table added with an area path column belongs in the list in the .cc.
void FollowAreaMoveInRecords(db::Connection& c, const std::string& old_path,
                             const std::string& new_path);

}  // namespace grassroots::orgs
