#include "services/grid/grid_path_followers.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"
#include "common/server/etag.h"
#include "common/time/proto_time.h"
#include "services/grid/grid_store.h"

namespace grassroots::grid {
namespace {

struct PathColumn {
  const char* table;
  const char* column;
};

// Every table whose rows carry a grid's path for scope.
constexpr PathColumn kFollowers[] = {
    {"compounds", "grid_path"},
    {"buildings", "grid_path"},
    {"units", "grid_path"},
    {"households", "grid_path"},
    {"staff_assignments", "grid_path"},
    {"key_persons", "grid_path"},
    {"visits", "grid_path"},
    {"visit_worker_days", "grid_path"},
    {"cases", "grid_path"},
    {"whistles", "grid_path"},
    {"department_ratings", "street_path"},
};

void Rewrite(db::Connection& c, const char* table, const char* column, const std::string& old_path,
             const std::string& new_path) {
  auto& rewrite =
      c.Prepare(absl::StrCat("UPDATE ", table, " SET ", column, " = CONCAT(?, SUBSTRING(", column,
                             ", ?)) WHERE ", column, " = ? OR ", column, " LIKE ?"));
  rewrite.setString(1, new_path);
  rewrite.setInt(2, static_cast<int>(old_path.size()) + 1);
  rewrite.setString(3, old_path);
  rewrite.setString(4, DescendantsLikePattern(old_path));
  rewrite.executeUpdate();
}

}  // namespace

void FollowAreaMove(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                    const std::string& old_path, const std::string& new_path) {
  if (old_path == new_path) return;
  std::vector<v1::Grid> moved;
  {
    auto& select =
        c.Prepare("SELECT id FROM grids WHERE path = ? OR path LIKE ? ORDER BY path FOR UPDATE");
    select.setString(1, old_path);
    select.setString(2, DescendantsLikePattern(old_path));
    auto rows = c.Query(select);
    std::vector<std::string> ids;
    while (rows->next()) ids.push_back(rows->getString(1));
    for (const std::string& id : ids) {
      if (auto grid = GridStore::FindInScope(c, "", id)) moved.push_back(*std::move(grid));
    }
  }
  for (const PathColumn& f : kFollowers) Rewrite(c, f.table, f.column, old_path, new_path);
  for (const v1::Grid& before : moved) {
    v1::Grid after = before;
    after.set_path(absl::StrCat(new_path, before.path().substr(old_path.size())));
    after.set_etag(EtagOf(VersionOf(before.etag()) + 1));
    ToProtoTime(write.now, after.mutable_update_time());
    auto& update =
        c.Prepare("UPDATE grids SET path = ?, version = version + 1, update_time = ? WHERE id = ?");
    update.setString(1, after.path());
    update.setString(2, db::ToDbTime(write.now));
    update.setString(3, after.id());
    update.executeUpdate();
    ChangeRecord record{after.id(), common::v1::Change::MOVED, after.path(), &after, &before};
    record.carries_request_id = false;
    changes.Append(c, write, record);
  }
}

}  // namespace grassroots::grid
