#pragma once

#include <string>

namespace grassroots::db {

// "(?, ?), (?, ?)" for `rows` rows of `columns` parameters: the VALUES of a
// multi-row INSERT, or an IN list when columns is 1 ("(?), (?)" is not an IN
// list, so use PlaceholderList for that).
std::string PlaceholderRows(int columns, int rows);
// "?, ?, ?" for an IN (...) list.
std::string PlaceholderList(int count);

}  // namespace grassroots::db
