#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/credit.pb.h"
#include "grassroots/volunteer/v1/volunteer.pb.h"

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
  // A good deed as a credit of source "deed": its points are what the
  // volunteer's community's rule gives `deed_type`, read in the same
  // transaction (GOOD_DEED_NOT_RATED when none).
  absl::StatusOr<v1::Credit> RecordGoodDeed(const std::string& scope, const WriteContext& write,
                                            const v1::Credit& requested,
                                            const std::string& deed_type);

 private:
  // The points of a credit whose request does not carry them.
  using PointsFromRule =
      std::function<absl::StatusOr<int64_t>(db::Connection&, const v1::Volunteer&)>;
  absl::StatusOr<v1::Credit> Record(const std::string& scope, const WriteContext& write,
                                    v1::Credit requested, const PointsFromRule& rule);

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::volunteer
