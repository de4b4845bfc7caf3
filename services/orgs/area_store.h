#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "common/import/record_parser.h"
#include "grassroots/orgs/v1/area.pb.h"
#include "services/orgs/area_cache.h"

namespace grassroots::orgs {

struct CreateRequest {
  std::string scope;
  WriteContext write;
  v1::Area area;
};

struct AreaPage {
  std::vector<v1::Area> areas;
  std::string last_path;  // empty when this was the last page
};

// The only code that speaks SQL about areas. Every query carries the
// caller's scope (a path prefix; empty is the whole city) as a condition, so
// a record outside it is never read, let alone changed. Records outside the
// scope and records that do not exist look the same to a scoped caller:
// PERMISSION_DENIED, so ids from other jurisdictions leak nothing.
class AreaStore {
 public:
  // With a cache, reads by id are answered from memory and every committed
  // write is applied to it at once.
  AreaStore(db::ConnectionPool& pool, const ChangeLog& changes, AreaCache* cache = nullptr)
      : pool_(pool), changes_(changes), cache_(cache) {}

  // Idempotent when write.request_id is set: a repeat returns the area the
  // first call created.
  absl::StatusOr<v1::Area> Create(const std::string& scope, const WriteContext& write,
                                  const v1::Area& area);
  // Several creates in one transaction (one parent lookup, one multi-row
  // INSERT for the areas, one for their change rows): how concurrent
  // CreateArea calls share commits. Results are in request order and equal
  // what Create would have answered for each.
  std::vector<absl::StatusOr<v1::Area>> CreateMany(const std::vector<CreateRequest>& requests);
  absl::StatusOr<v1::Area> Get(const std::string& scope, const std::string& id);
  // The answer from memory alone, or nullopt when only the database knows
  // (no cache, not loaded yet, or an id the cache has not seen).
  std::optional<absl::StatusOr<v1::Area>> GetCached(const std::string& scope,
                                                    const std::string& id) const;
  // Children of parent_id (or the roots visible to the scope), or the whole
  // subtree, in path order after `after_path`.
  absl::StatusOr<AreaPage> List(const std::string& scope, const std::string& parent_id,
                                bool subtree, int page_size, const std::string& after_path);
  absl::StatusOr<v1::Area> UpdateDisplayName(const std::string& scope, const WriteContext& write,
                                             const std::string& id, const std::string& etag,
                                             const std::string& display_name);
  absl::StatusOr<v1::Area> Move(const std::string& scope, const WriteContext& write,
                                const std::string& id, const std::string& new_parent_id,
                                const std::string& etag);
  absl::Status Delete(const std::string& scope, const WriteContext& write, const std::string& id,
                      const std::string& etag);
  // All lines in one transaction: every area is created or none is.
  absl::StatusOr<int> Import(const std::string& scope, const WriteContext& write,
                             const std::vector<ImportLine<v1::AreaImportRecord>>& lines);

  // For other stores, inside their transactions: the area with this id in
  // the scope, locked in share mode so it cannot move or go meanwhile.
  static std::optional<v1::Area> FindInScope(db::Connection& c, const std::string& scope,
                                             const std::string& id);
  // The same, by jurisdiction path.
  static std::optional<v1::Area> FindByPathInScope(db::Connection& c, const std::string& scope,
                                                   const std::string& path);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  AreaCache* const cache_;
};

}  // namespace grassroots::orgs
