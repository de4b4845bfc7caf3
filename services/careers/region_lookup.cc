#include "services/careers/region_lookup.h"

#include "absl/strings/str_cat.h"

namespace grassroots::careers {

std::string InEnclosingRegions(const std::vector<std::string>& regions) {
  std::string sql = " AND region_path IN (";
  for (size_t i = 0; i < regions.size(); ++i) absl::StrAppend(&sql, i == 0 ? "?" : ", ?");
  return absl::StrCat(sql, ")");
}

int BindRegions(sql::PreparedStatement& statement, int index,
                const std::vector<std::string>& regions) {
  for (const std::string& region : regions) statement.setString(index++, region);
  return index;
}

}  // namespace grassroots::careers
