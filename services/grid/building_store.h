#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/building.pb.h"
#include "grassroots/grid/v1/grid.pb.h"

namespace grassroots::grid {

struct BuildingPage {
  std::vector<v1::Building> buildings;
  std::string last_id;  // empty when this was the last page
};

// Where a listing of buildings looks: a whole grid, or one compound.
struct BuildingsWithin {
  std::string grid_id;
  std::string compound_id;
};

// The only code that speaks SQL about buildings. Every query carries the
// caller's scope as a condition on the building's grid path.
class BuildingStore {
 public:
  BuildingStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // In its compound's grid, or in the grid given; both within the scope.
  // ALREADY_EXISTS (BUILDING_EXISTS) when the name is taken there.
  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::Building> Create(const std::string& scope, const WriteContext& write,
                                      const v1::Building& requested);
  absl::StatusOr<v1::Building> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<BuildingPage> List(const std::string& scope, const BuildingsWithin& within,
                                    int page_size, const std::string& after_id);
  // `fields`: "display_name", "floor_count".
  absl::StatusOr<v1::Building> Update(const std::string& scope, const WriteContext& write,
                                      const v1::Building& changes,
                                      const std::vector<std::string>& fields);

  // For the other stores, inside their transactions.
  static std::optional<v1::Building> FindInScope(db::Connection& c, const std::string& scope,
                                                 const std::string& id, const char* lock = "");
  // The building of this name in the compound (empty: on its own in the
  // grid), created with its change row when there is none.
  static v1::Building FindOrCreate(db::Connection& c, const ChangeLog& changes,
                                   const WriteContext& write, const v1::Grid& grid,
                                   const std::string& compound_id, const std::string& name);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::grid
