#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/building.pb.h"

namespace grassroots::grid {

struct UnitPage {
  std::vector<v1::Unit> units;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about the units of buildings. Every query
// carries the caller's scope as a condition on the unit's grid path.
class UnitStore {
 public:
  UnitStore(db::ConnectionPool& pool, const ChangeLog& changes) : pool_(pool), changes_(changes) {}

  // ALREADY_EXISTS (UNIT_EXISTS) when the building has a unit of that
  // name. Idempotent when write.request_id is set.
  absl::StatusOr<v1::Unit> Create(const std::string& scope, const WriteContext& write,
                                  const v1::Unit& requested);
  absl::StatusOr<v1::Unit> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<UnitPage> List(const std::string& scope, const std::string& building_id,
                                int page_size, const std::string& after_id);
  // `fields`: "display_name".
  absl::StatusOr<v1::Unit> Update(const std::string& scope, const WriteContext& write,
                                  const v1::Unit& changes, const std::vector<std::string>& fields);

  // For the household store, inside its transactions.
  static std::optional<v1::Unit> FindInScope(db::Connection& c, const std::string& scope,
                                             const std::string& id, const char* lock = "");
  // The building's unit of this name, created with its change row when
  // there is none.
  static v1::Unit FindOrCreate(db::Connection& c, const ChangeLog& changes,
                               const WriteContext& write, const v1::Building& building,
                               const std::string& name);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::grid
