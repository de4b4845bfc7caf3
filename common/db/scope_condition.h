#pragma once

#include <cppconn/prepared_statement.h>

#include <string>

namespace grassroots::db {

// The SQL a store appends to a WHERE clause so that only records inside the
// caller's scope (a jurisdiction path; empty is the whole city) are seen:
// " AND (? = '' OR <column> = ? OR <column> LIKE ?)".
std::string InScope(const char* path_column);

// Binds the three parameters of InScope from `index`; returns the next index.
int BindScope(sql::PreparedStatement& statement, int index, const std::string& scope);

}  // namespace grassroots::db
