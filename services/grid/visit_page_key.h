#pragma once

#include <cppconn/prepared_statement.h>

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace grassroots::grid {

// A page position in a listing ordered by a value and then by id (visits
// by time, overdue rows by due day): both parts, so ties on the value
// neither repeat nor skip rows across pages.
struct PairKey {
  std::string value;
  std::string id;
};

// "<value>|<id>"; nullopt for an empty (first page) or malformed key.
std::optional<PairKey> ReadPairKey(const std::string& key);
std::string PairKeyText(absl::string_view value, absl::string_view id);

// " AND (<value> > ? OR (<value> = ? AND <id> > ?))", with '<' when descending.
std::string AfterPair(const char* value_column, const char* id_column, bool descending);
// Binds AfterPair's three parameters from `index`; returns the next index.
int BindAfterPair(sql::PreparedStatement& statement, int index, const PairKey& key);

}  // namespace grassroots::grid
