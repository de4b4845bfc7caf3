#pragma once

#include <string>
#include <vector>

namespace grassroots::db {

// One numbered SQL file, e.g. "0001_areas.sql". Statements end with ';' at
// the end of a line.
struct Migration {
  std::string name;
  std::string sql;
};

// The migrations of one track ("common" or a service name), in order. The
// build embeds each service's migrations/ folder into one of these.
struct MigrationSet {
  std::string track;
  std::vector<Migration> migrations;
};

const MigrationSet& common_migrations();

}  // namespace grassroots::db
