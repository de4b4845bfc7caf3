#include "common/db/sql_parameters.h"

namespace grassroots::db {

std::string ParameterList(int count) {
  std::string out;
  out.reserve(static_cast<size_t>(count) * 3);
  for (int i = 0; i < count; ++i) out.append(i == 0 ? "?" : ", ?");
  return out;
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

}  // namespace grassroots::db
