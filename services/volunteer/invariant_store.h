#pragma once

#include "absl/status/statusor.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/ledger.pb.h"

namespace grassroots::volunteer {

// Proves the service's invariants from its tables, in one consistent
// snapshot (a REPEATABLE READ transaction that only reads). The checks are
// the list in invariant_store.cc, one query each, every row a violation.
class InvariantStore {
 public:
  explicit InvariantStore(db::ConnectionPool& pool) : pool_(pool) {}

  absl::StatusOr<v1::CheckInvariantsResponse> Check();

 private:
  db::ConnectionPool& pool_;
};

}  // namespace grassroots::volunteer
