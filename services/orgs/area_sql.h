#pragma once

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <string>

#include "grassroots/orgs/v1/area.pb.h"

namespace grassroots::orgs {

// The columns every area query selects, in the order ReadArea expects.
inline constexpr char kAreaColumns[] =
    "id, kind, code, display_name, parent_id, path, version, create_time, update_time";

v1::Area ReadArea(sql::ResultSet& row);

}  // namespace grassroots::orgs
