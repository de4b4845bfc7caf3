#pragma once

#include <cppconn/prepared_statement.h>

#include <string>
#include <vector>

namespace grassroots::careers {

// Rules kept per region (staffing, pay policy, pay tables, weights) apply
// to a path from the nearest region that has one: " AND region_path IN
// (?, ...)" over the path's enclosing regions, the longest first when
// ordered by "LENGTH(region_path) DESC".
std::string InEnclosingRegions(const std::vector<std::string>& regions);
// Binds the regions from `index`; returns the next index.
int BindRegions(sql::PreparedStatement& statement, int index,
                const std::vector<std::string>& regions);

}  // namespace grassroots::careers
