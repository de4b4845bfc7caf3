#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/grid.pb.h"

namespace grassroots::grid {

struct GridPage {
  std::vector<v1::Grid> grids;
  std::string last_path;  // empty when this was the last page
};

// The only code that speaks SQL about grids. Every query carries the
// caller's scope as a condition on the grid's path.
class GridStore {
 public:
  GridStore(db::ConnectionPool& pool, const ChangeLog& changes) : pool_(pool), changes_(changes) {}

  // `requested` names the community, code and name; `community_path` is the
  // community's path as orgs gave it. ALREADY_EXISTS (GRID_EXISTS) when the
  // community has a grid with the code. Idempotent when write.request_id is set.
  absl::StatusOr<v1::Grid> Create(const std::string& scope, const WriteContext& write,
                                  const v1::Grid& requested, const std::string& community_path);
  // After a create failed before reaching the database (orgs could not be
  // asked): the first answer to the same request, if it was made; else `failure`.
  absl::StatusOr<v1::Grid> EarlierCreate(const WriteContext& write, absl::Status failure);
  absl::StatusOr<v1::Grid> Get(const std::string& scope, const std::string& id);
  // In path order after `after_path`; one community's grids when
  // `community_id` is set.
  absl::StatusOr<GridPage> List(const std::string& scope, const std::string& community_id,
                                int page_size, const std::string& after_path);
  // `fields`: "display_name".
  absl::StatusOr<v1::Grid> Update(const std::string& scope, const WriteContext& write,
                                  const v1::Grid& changes, const std::vector<std::string>& fields);

  // For the stores of what lies in a grid, inside their transactions: the
  // grid with this id (or path) inside the scope, with `lock` appended to
  // the statement ("", " LOCK IN SHARE MODE", " FOR UPDATE").
  static std::optional<v1::Grid> FindInScope(db::Connection& c, const std::string& scope,
                                             const std::string& id, const char* lock = "");
  static std::optional<v1::Grid> FindByPathInScope(db::Connection& c, const std::string& scope,
                                                   const std::string& path, const char* lock = "");
  // The grids of these ids, whatever their scope (the caller checks each
  // against its own), by id, in one statement.
  static absl::flat_hash_map<std::string, v1::Grid> FindMany(db::Connection& c,
                                                             const std::vector<std::string>& ids,
                                                             const char* lock = "");

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::grid
