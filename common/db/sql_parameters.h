#pragma once

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/db/connection.h"

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

// Runs `select_column` IN (`keys`, padded as above) `after` and hands each
// row to `each`: "SELECT ... WHERE code" and the keys, "" or a lock after.
// Nothing runs for no keys.
void ForEachRowIn(Connection& c, absl::string_view select_column,
                  const std::vector<std::string>& keys, absl::string_view after,
                  const std::function<void(sql::ResultSet&)>& each);

}  // namespace grassroots::db
