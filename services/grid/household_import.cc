// HouseholdStore::Import: a ledger of households (台账) in one transaction.
// Compounds, buildings and units are found by name in each line's grid, or
// created with their own change rows; a failure anywhere rolls back every
// line, and the error names the line.
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "common/import/import_result.h"
#include "common/status/errors.h"
#include "services/grid/building_store.h"
#include "services/grid/compound_store.h"
#include "services/grid/grid_store.h"
#include "services/grid/household_rules.h"
#include "services/grid/household_store.h"
#include "services/grid/unit_store.h"

namespace grassroots::grid {
namespace {

// What the lines so far found or made, so each name is looked up once.
struct Structure {
  absl::flat_hash_map<std::string, v1::Grid> grids;          // by path
  absl::flat_hash_map<std::string, v1::Compound> compounds;  // grid id "\n" name
  absl::flat_hash_map<std::string, v1::Building> buildings;  // grid, compound, name
  absl::flat_hash_map<std::string, v1::Unit> units;          // building id "\n" name
};

}  // namespace

absl::StatusOr<common::v1::ImportResult> HouseholdStore::Import(
    const std::string& scope, const WriteContext& write,
    const std::vector<ImportLine<v1::HouseholdImportRecord>>& lines) {
  common::v1::ImportResult result;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    result.Clear();
    Structure found;
    WriteContext line_write = write;
    line_write.request_id.clear();  // the import's request id marks its result only
    for (const auto& line : lines) {
      const v1::HouseholdImportRecord& r = line.record;
      auto grid = found.grids.find(r.grid_path());
      if (grid == found.grids.end()) {
        auto in_scope =
            GridStore::FindByPathInScope(c, scope, r.grid_path(), " LOCK IN SHARE MODE");
        if (!in_scope) {
          return AtLine(line.line_number,
                        InvalidField("grid_path", "GRID_NOT_FOUND",
                                     absl::StrCat("no grid in the caller's jurisdiction has path ",
                                                  r.grid_path())));
        }
        grid = found.grids.emplace(r.grid_path(), *std::move(in_scope)).first;
      }
      std::string compound_id;
      if (!r.compound().empty()) {
        const std::string key = absl::StrCat(grid->second.id(), "\n", r.compound());
        auto compound = found.compounds.find(key);
        if (compound == found.compounds.end()) {
          compound = found.compounds
                         .emplace(key, CompoundStore::FindOrCreate(c, changes_, line_write,
                                                                   grid->second, r.compound()))
                         .first;
        }
        compound_id = compound->second.id();
      }
      const std::string building_key =
          absl::StrCat(grid->second.id(), "\n", compound_id, "\n", r.building());
      auto building = found.buildings.find(building_key);
      if (building == found.buildings.end()) {
        building = found.buildings
                       .emplace(building_key,
                                BuildingStore::FindOrCreate(c, changes_, line_write, grid->second,
                                                            compound_id, r.building()))
                       .first;
      }
      const std::string unit_key = absl::StrCat(building->second.id(), "\n", r.unit());
      auto unit = found.units.find(unit_key);
      if (unit == found.units.end()) {
        unit = found.units
                   .emplace(unit_key, UnitStore::FindOrCreate(c, changes_, line_write,
                                                              building->second, r.unit()))
                   .first;
      }
      auto inserted = Insert(c, line_write, unit->second, HouseholdFromRecord(r));
      if (!inserted.ok()) return AtLine(line.line_number, inserted.status());
      result.set_created_count(result.created_count() + 1);
    }
    RecordImportResult(c, changes_, write, "households", scope, result);
    return absl::OkStatus();
  });
  if (!status.ok()) return ImportedEarlierOr(pool_, changes_, write, status);
  return result;
}

}  // namespace grassroots::grid
