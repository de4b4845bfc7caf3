#pragma once

#include <string>

#include "common/changes/change_log.h"
#include "common/db/connection.h"

namespace grassroots::grid {

// When orgs moves an area from `old_path` to `new_path`, every grid below
// it and every record in those grids follows, in one transaction: grids get
// their new path (a new version and a MOVED change row each: they are
// resources of the feed), the records their new grid_path. A table added
// with a grid path column belongs in the list in the .cc.
void FollowAreaMove(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                    const std::string& old_path, const std::string& new_path);

}  // namespace grassroots::grid
