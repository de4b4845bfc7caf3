#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/crypto/personal_data.h"
#include "common/crypto/personal_fields.h"
#include "common/db/connection_pool.h"
#include "common/import/record_parser.h"
#include "grassroots/common/v1/import.pb.h"
#include "grassroots/grid/v1/building.pb.h"
#include "grassroots/grid/v1/household.pb.h"

namespace grassroots::grid {

struct HouseholdPage {
  std::vector<v1::Household> households;
  std::string last_id;  // empty when this was the last page
};

// Where a listing of households looks.
struct HouseholdsWithin {
  enum class By { kGrid, kCompound, kBuilding, kUnit };
  By by = By::kGrid;
  std::string id;
};

// The only code that speaks SQL about households. The head's personal data
// goes in encrypted and comes out masked (listings and reads never decrypt);
// clear values leave only through Reveal, and Reveal and Find each write a
// personal_data_reads row in the transaction that reads. Scope is a
// condition on the household's grid path.
class HouseholdStore {
 public:
  HouseholdStore(db::ConnectionPool& pool, const ChangeLog& changes,
                 const PersonalDataCipher& cipher)
      : pool_(pool), changes_(changes), cipher_(cipher) {}

  // `requested` holds normalised clear values (household_rules.h); the
  // answer is masked. ALREADY_EXISTS (HOUSEHOLD_EXISTS) when the dwelling
  // is registered in the unit. Idempotent when write.request_id is set.
  absl::StatusOr<v1::Household> Create(const std::string& scope, const WriteContext& write,
                                       const v1::Household& requested);
  absl::StatusOr<v1::Household> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<HouseholdPage> List(const std::string& scope, const HouseholdsWithin& within,
                                     bool key_only, int page_size, const std::string& after_id);
  // Sets the fields named (clear, normalised values for the head's), then
  // checks the household still hangs together (household_rules.h).
  absl::StatusOr<v1::Household> Update(const std::string& scope, const WriteContext& write,
                                       const v1::Household& changes,
                                       const std::vector<std::string>& fields);
  // `kind` kPhone or kIdNumber, `value` normalised; at most 100, masked.
  absl::StatusOr<std::vector<v1::Household>> Find(const std::string& scope,
                                                  const WriteContext& reader, PersonalKind kind,
                                                  const std::string& value,
                                                  const std::string& purpose);
  absl::StatusOr<v1::HouseholdContact> Reveal(const std::string& scope, const WriteContext& reader,
                                              const std::string& id, const std::string& purpose);
  // Every line in one transaction (household_import.cc): grids by path in
  // the scope; compounds, buildings and units by name, created when new;
  // lines hold normalised values. Idempotent when write.request_id is set.
  absl::StatusOr<common::v1::ImportResult> Import(
      const std::string& scope, const WriteContext& write,
      const std::vector<ImportLine<v1::HouseholdImportRecord>>& lines);

  // For the key person store, inside its transactions.
  static std::optional<v1::Household> FindInScope(db::Connection& c, const std::string& scope,
                                                  const std::string& id, const char* lock = "");

 private:
  // Inserts a household of `unit` with its change row (the masked record).
  // ALREADY_EXISTS (HOUSEHOLD_EXISTS) when the dwelling is taken.
  absl::StatusOr<v1::Household> Insert(db::Connection& c, const WriteContext& write,
                                       const v1::Unit& unit, const v1::Household& requested) const;

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const PersonalDataCipher& cipher_;
};

}  // namespace grassroots::grid
