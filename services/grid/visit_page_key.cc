#include "services/grid/visit_page_key.h"

#include "absl/strings/str_cat.h"

namespace grassroots::grid {

std::optional<PairKey> ReadPairKey(const std::string& key) {
  const size_t bar = key.find('|');
  if (bar == std::string::npos) return std::nullopt;
  return PairKey{key.substr(0, bar), key.substr(bar + 1)};
}

std::string PairKeyText(absl::string_view value, absl::string_view id) {
  return absl::StrCat(value, "|", id);
}

std::string AfterPair(const char* value_column, const char* id_column, bool descending) {
  const char* op = descending ? " < ?" : " > ?";
  return absl::StrCat(" AND (", value_column, op, " OR (", value_column, " = ? AND ", id_column, op,
                      "))");
}

int BindAfterPair(sql::PreparedStatement& statement, int index, const PairKey& key) {
  statement.setString(index, key.value);
  statement.setString(index + 1, key.value);
  statement.setString(index + 2, key.id);
  return index + 3;
}

}  // namespace grassroots::grid
