#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "common/import/record_parser.h"
#include "grassroots/common/v1/import.pb.h"
#include "grassroots/orgs/v1/place.pb.h"
#include "services/orgs/formation_threshold_store.h"

namespace grassroots::orgs {

struct PlacePage {
  std::vector<v1::Place> places;
  std::string last_key;  // empty when this was the last page
};

struct UncoveredPage {
  std::vector<v1::UncoveredPlace> places;
  std::string last_key;  // empty when this was the last page
};

// The only code that speaks SQL about places, what organisations cover and
// where members are recorded. Places carry their area's path; every query
// carries the caller's scope as a condition on it. Figures (full members,
// covering organisations) are read with the place, never stored.
class PlaceStore {
 public:
  PlaceStore(db::ConnectionPool& pool, const ChangeLog& changes,
             const FormationThresholdStore& thresholds)
      : pool_(pool), changes_(changes), thresholds_(thresholds) {}

  // The area must be a street, town or community in the scope. Idempotent
  // when write.request_id is set.
  absl::StatusOr<v1::Place> Create(const std::string& scope, const WriteContext& write,
                                   const v1::Place& place);
  // Every line in one transaction, areas by path within the scope.
  // Idempotent when write.request_id is set.
  absl::StatusOr<common::v1::ImportResult> Import(
      const std::string& scope, const WriteContext& write,
      const std::vector<ImportLine<v1::PlaceImportRecord>>& lines);
  absl::StatusOr<v1::Place> Get(const std::string& scope, const std::string& id);
  // In jurisdiction order (area path, then id) after `after_key`.
  absl::StatusOr<PlacePage> List(const std::string& scope, const std::string& area_id,
                                 v1::PlaceKind kind, int page_size, const std::string& after_key);
  // `fields`: "display_name", "resident_count", "employee_count".
  absl::StatusOr<v1::Place> Update(const std::string& scope, const WriteContext& write,
                                   const v1::Place& changes,
                                   const std::vector<std::string>& fields);
  absl::StatusOr<v1::PlaceCoverage> Cover(const std::string& scope, const WriteContext& write,
                                          const std::string& organisation_id,
                                          const std::string& place_id);
  absl::StatusOr<v1::PlaceCoverage> Uncover(const std::string& scope, const WriteContext& write,
                                            const std::string& organisation_id,
                                            const std::string& place_id);
  absl::StatusOr<v1::MemberPlace> SetMemberPlace(const std::string& scope,
                                                 const WriteContext& write,
                                                 const std::string& member_id,
                                                 const std::string& place_id);
  // Examines up to `page_size` places after `after_key` and returns the
  // findings of the coverage rule among them, each under its region's
  // thresholds.
  absl::StatusOr<UncoveredPage> ListUncovered(const std::string& scope, const std::string& area_id,
                                              int page_size, const std::string& after_key);

  // For the area store, inside its transactions.
  static bool AnyIn(db::Connection& c, const std::string& area_id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const FormationThresholdStore& thresholds_;
};

}  // namespace grassroots::orgs
