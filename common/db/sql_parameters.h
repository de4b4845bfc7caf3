#pragma once

#include <string>

namespace grassroots::db {

// "(?, ?), (?, ?)" for `rows` rows of `columns` parameters: the VALUES of a
// multi-row INSERT.
std::string ParameterRows(int columns, int rows);
// "?, ?, ?" for an IN (...) list.
std::string ParameterList(int count);

}  // namespace grassroots::db
