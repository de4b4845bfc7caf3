#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/grid/v1/staff.pb.h"

namespace grassroots::grid {

struct StaffPage {
  std::vector<v1::StaffAssignment> assignments;
  std::string last_id;  // empty when this was the last page
};

struct StaffFilter {
  std::string grid_id;
  v1::StaffRole role = v1::STAFF_ROLE_UNSPECIFIED;  // all roles
  std::optional<absl::CivilDay> active_on;
};

// The only code that speaks SQL about staff assignments. Assignments to
// one grid take turns on a lock of the grid's row, so two concurrent grid
// leaders cannot both pass the one-at-a-time check. Scope is a condition on
// the grid path.
class StaffStore {
 public:
  StaffStore(db::ConnectionPool& pool, const ChangeLog& changes) : pool_(pool), changes_(changes) {}

  // `requested.person_name` is in clear and is kept masked only.
  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::StaffAssignment> Assign(const std::string& scope, const WriteContext& write,
                                             const v1::StaffAssignment& requested);
  absl::StatusOr<v1::StaffAssignment> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<StaffPage> List(const std::string& scope, const StaffFilter& filter, int page_size,
                                 const std::string& after_id);
  // `fields`: "start_date", "end_date" (empty end: until further notice).
  absl::StatusOr<v1::StaffAssignment> Update(const std::string& scope, const WriteContext& write,
                                             const v1::StaffAssignment& changes,
                                             const std::vector<std::string>& fields);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::grid
