#pragma once

#include <cppconn/resultset.h>

#include "grassroots/orgs/v1/organisation.pb.h"

namespace grassroots::orgs {

// The columns every organisation query selects, in the order
// ReadOrganisation expects.
inline constexpr char kOrganisationColumns[] =
    "id, kind, code, display_name, parent_id, path, area_id, area_path, unit_name, state, "
    "version, create_time, update_time, dissolve_time, dissolve_reason";

v1::Organisation ReadOrganisation(sql::ResultSet& row);

}  // namespace grassroots::orgs
