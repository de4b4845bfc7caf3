#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/credit.pb.h"

namespace grassroots::volunteer {

// The only code that speaks SQL about inbound credits. The credit row and
// its ledger transfer commit together; the (source, event id) key makes a
// redelivered event a replay.
class CreditStore {
 public:
  CreditStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::Credit> Apply(const std::string& scope, const WriteContext& write,
                                   const v1::Credit& requested);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::volunteer
