#include "common/db/sql_parameters.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace grassroots::db {

std::string ParameterList(int count) {
  std::string out;
  out.reserve(static_cast<size_t>(count) * 3);
  for (int i = 0; i < count; ++i) out.append(i == 0 ? "?" : ", ?");
  return out;
}

int PaddedListLength(int count) {
  int length = 1;
  while (length < count) length *= 2;
  return length;
}

std::string PaddedParameterList(size_t count) {
  return ParameterList(PaddedListLength(static_cast<int>(count)));
}

int BindPaddedList(sql::PreparedStatement& statement, int index,
                   const std::vector<std::string>& values) {
  const int length = PaddedListLength(static_cast<int>(values.size()));
  for (int i = 0; i < length; ++i) {
    statement.setString(index++, values[std::min(static_cast<size_t>(i), values.size() - 1)]);
  }
  return index;
}

std::string ParameterRows(int columns, int rows) {
  const std::string row = "(" + ParameterList(columns) + ")";
  std::string out;
  out.reserve(static_cast<size_t>(rows) * (row.size() + 2));
  for (int i = 0; i < rows; ++i) {
    if (i > 0) out.append(", ");
    out.append(row);
  }
  return out;
}

void ForEachRowIn(Connection& c, absl::string_view select_column,
                  const std::vector<std::string>& keys, absl::string_view after,
                  const std::function<void(sql::ResultSet&)>& each) {
  if (keys.empty()) return;
  auto& select =
      c.Prepare(absl::StrCat(select_column, " IN (", PaddedParameterList(keys.size()), ")", after));
  BindPaddedList(select, 1, keys);
  auto rows = c.Query(select);
  while (rows->next()) each(*rows);
}

}  // namespace grassroots::db
