#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/compound.pb.h"
#include "grassroots/grid/v1/grid.pb.h"

namespace grassroots::grid {

struct CompoundPage {
  std::vector<v1::Compound> compounds;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about compounds. Every query carries the
// caller's scope as a condition on the compound's grid path.
class CompoundStore {
 public:
  CompoundStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // The grid must lie in the scope. ALREADY_EXISTS (COMPOUND_EXISTS) when
  // the grid has a compound of that name. Idempotent when write.request_id is set.
  absl::StatusOr<v1::Compound> Create(const std::string& scope, const WriteContext& write,
                                      const v1::Compound& requested);
  absl::StatusOr<v1::Compound> Get(const std::string& scope, const std::string& id);
  // One grid's compounds by id after `after_id`.
  absl::StatusOr<CompoundPage> List(const std::string& scope, const std::string& grid_id,
                                    int page_size, const std::string& after_id);
  // `fields`: "display_name", "address".
  absl::StatusOr<v1::Compound> Update(const std::string& scope, const WriteContext& write,
                                      const v1::Compound& changes,
                                      const std::vector<std::string>& fields);

  // For the other stores, inside their transactions.
  static std::optional<v1::Compound> FindInScope(db::Connection& c, const std::string& scope,
                                                 const std::string& id, const char* lock = "");
  // The grid's compound of this name, created with its change row when
  // there is none (imports of a ledger).
  static v1::Compound FindOrCreate(db::Connection& c, const ChangeLog& changes,
                                   const WriteContext& write, const v1::Grid& grid,
                                   const std::string& name);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::grid
