#pragma once

#include <cppconn/prepared_statement.h>

#include <string>
#include <vector>

namespace grassroots::db {

// "(?, ?), (?, ?)" for `rows` rows of `columns` parameters: the VALUES of a
// multi-row INSERT.
std::string ParameterRows(int columns, int rows);
// "?, ?, ?" for an IN (...) list.
std::string ParameterList(int count);
// An IN (...) list padded to the next power of two, the last value bound
// again in the spare places. Each session caches its prepared statements by
// text, so lists of any length then share a handful of statements instead
// of one each. PaddedListLength(count) places; BindPaddedList binds
// `values` (not empty) from `index` and returns the index after them.
int PaddedListLength(int count);
std::string PaddedParameterList(size_t count);
int BindPaddedList(sql::PreparedStatement& statement, int index,
                   const std::vector<std::string>& values);

}  // namespace grassroots::db
