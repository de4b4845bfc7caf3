#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/dues.pb.h"
#include "services/orgs/dues_rules.h"

namespace grassroots::orgs {

struct ArrearsPage {
  std::vector<v1::DuesArrear> arrears;
  std::string last_member_id;  // empty when this was the last page
};

// The only code that speaks SQL about dues. It reads the member's place and
// joining date from the members table (same schema) for scope and arrears.
class DuesStore {
 public:
  DuesStore(db::ConnectionPool& pool, const ChangeLog& changes) : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::DuesPayment> Record(const std::string& scope, const WriteContext& write,
                                         const v1::DuesPayment& payment);
  absl::StatusOr<v1::DuesStatus> Status(const std::string& scope, const std::string& member_id,
                                        absl::CivilMonth current);
  // Members of the organisation's subtree, `page_size` examined per page,
  // with the ones at least three months behind returned.
  absl::StatusOr<ArrearsPage> Arrears(const std::string& scope, const std::string& organisation_id,
                                      absl::CivilMonth current, int page_size,
                                      const std::string& after_member_id);

  // For the transfer store, inside its transaction.
  static DuesPosition PositionOfMember(db::Connection& c, const std::string& member_id,
                                       const std::string& join_date, absl::CivilMonth current);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
