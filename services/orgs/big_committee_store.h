#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/resident_unit.pb.h"

namespace grassroots::orgs {

struct BigCommitteeSeatPage {
  std::vector<v1::BigCommitteeSeat> seats;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about big-committee seats. Scope is the
// committee's place (its organisation's area_path).
class BigCommitteeStore {
 public:
  BigCommitteeStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // ALREADY_EXISTS (UNIT_ALREADY_ON_COMMITTEE) while the unit holds a seat
  // on the committee. Idempotent when write.request_id is set.
  absl::StatusOr<v1::BigCommitteeSeat> Add(const std::string& scope, const WriteContext& write,
                                           const v1::BigCommitteeSeat& seat);
  absl::StatusOr<v1::BigCommitteeSeat> Remove(const std::string& scope, const WriteContext& write,
                                              const std::string& id, const std::string& etag,
                                              const std::string& reason);
  absl::StatusOr<BigCommitteeSeatPage> List(const std::string& scope,
                                            const std::string& organisation_id,
                                            bool include_removed, int page_size,
                                            const std::string& after_id);

  static void EndSeatsOfUnit(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                             const std::string& unit_id, const std::string& reason);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
