#include "services/orgs/area_path_followers.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"

namespace grassroots::orgs {
namespace {

struct PathColumn {
  const char* table;
  const char* column;
};

constexpr PathColumn kFollowers[] = {
    {"members", "area_path"},
    {"dues_payments", "area_path"},
    {"member_transfers", "from_area_path"},
    {"member_transfers", "to_area_path"},
    {"places", "area_path"},
    {"formation_thresholds", "area_path"},
    {"memberships", "area_path"},
    {"committee_seats", "area_path"},
    {"committee_terms", "area_path"},
    {"meetings", "area_path"},
    {"big_committee_seats", "area_path"},
    {"joint_meetings", "area_path"},
    {"unit_resources", "area_path"},
    {"community_needs", "area_path"},
    {"resource_matches", "area_path"},
    {"co_building_projects", "area_path"},
    {"matters", "area_path"},
    {"matter_objections", "area_path"},
    {"consultations", "area_path"},
};

}  // namespace

void FollowAreaMoveInRecords(db::Connection& c, const std::string& old_path,
                             const std::string& new_path) {
  for (const PathColumn& f : kFollowers) {
    auto& rewrite = c.Prepare(absl::StrCat("UPDATE ", f.table, " SET ", f.column,
                                           " = CONCAT(?, SUBSTRING(", f.column, ", ?)) WHERE ",
                                           f.column, " = ? OR ", f.column, " LIKE ?"));
    rewrite.setString(1, new_path);
    rewrite.setInt(2, static_cast<int>(old_path.size()) + 1);
    rewrite.setString(3, old_path);
    rewrite.setString(4, DescendantsLikePattern(old_path));
    rewrite.executeUpdate();
  }
}

}  // namespace grassroots::orgs
