#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/crypto/personal_data.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/resident_unit.pb.h"

namespace grassroots::orgs {

struct ResidentUnitFilter {
  std::string area_id;  // empty: the caller's whole scope
  v1::ResidentUnit::Kind kind = v1::ResidentUnit::KIND_UNSPECIFIED;
  bool include_withdrawn = false;
};

struct ResidentUnitPage {
  std::vector<v1::ResidentUnit> units;
  std::string last_id;  // empty when this was the last page
};

// What other regional stores need to know of a unit, read in their transactions.
struct UnitRef {
  std::string id;
  std::string display_name;
  std::string area_path;
  v1::ResidentUnit::State state = v1::ResidentUnit::STATE_UNSPECIFIED;
};

// The only code that speaks SQL about resident units. Scope is the unit's
// place (area_path). The liaison's name and phone go in encrypted and come
// out masked; clear values leave only through RevealLiaison, which writes a
// personal_data_reads row in the transaction that reads.
class ResidentUnitStore {
 public:
  ResidentUnitStore(db::ConnectionPool& pool, const ChangeLog& changes,
                    const PersonalDataCipher& cipher)
      : pool_(pool), changes_(changes), cipher_(cipher) {}

  // `unit` carries a normalised clear liaison; the answer is masked.
  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::ResidentUnit> Create(const std::string& scope, const WriteContext& write,
                                          const v1::ResidentUnit& unit);
  absl::StatusOr<v1::ResidentUnit> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<ResidentUnitPage> List(const std::string& scope, const ResidentUnitFilter& filter,
                                        int page_size, const std::string& after_id);
  // Sets the fields named in `fields` from `changes` (validated, liaison in clear).
  absl::StatusOr<v1::ResidentUnit> Update(const std::string& scope, const WriteContext& write,
                                          const v1::ResidentUnit& changes,
                                          const std::vector<std::string>& fields);
  // The unit's big-committee seats end in the same transaction.
  absl::StatusOr<v1::ResidentUnit> Withdraw(const std::string& scope, const WriteContext& write,
                                            const std::string& id, const std::string& etag,
                                            const std::string& reason);
  absl::StatusOr<v1::UnitLiaison> RevealLiaison(const std::string& scope,
                                                const WriteContext& reader, const std::string& id,
                                                const std::string& purpose);

  // For the other regional stores, inside their transactions: the units
  // with these ids that exist, wherever they are (the caller checks their
  // place), locked in share mode so none withdraws meanwhile.
  static std::vector<UnitRef> FindUnits(db::Connection& c, const std::vector<std::string>& ids);
  static std::optional<UnitRef> FindUnit(db::Connection& c, const std::string& id);
  // For the area store, inside its transactions: units registered under
  // `old_path` follow an area move, each with a change row; and whether
  // any unit (withdrawn ones included) is registered at an area.
  static void FollowAreaMove(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                             const std::string& old_path, const std::string& new_path);
  static bool AnyRegisteredAt(db::Connection& c, const std::string& area_id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const PersonalDataCipher& cipher_;
};

}  // namespace grassroots::orgs
