#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/dualreg/v1/evaluation.pb.h"

namespace grassroots::dualreg {

// The only code that speaks SQL about the community's yearly evaluations
// of registered members.
class EvaluationStore {
 public:
  EvaluationStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // `evaluation` is validated (evaluation_rules.h); stores it with the
  // registration's year of service, in one transaction.
  absl::StatusOr<v1::MemberEvaluation> Record(const std::string& scope, const WriteContext& write,
                                              v1::MemberEvaluation evaluation);
  absl::StatusOr<v1::ListMemberEvaluationsResponse> List(
      const std::string& scope, const v1::ListMemberEvaluationsRequest& request);
  absl::StatusOr<v1::ListUnevaluatedMembersResponse> ListUnevaluated(
      const std::string& scope, const v1::ListUnevaluatedMembersRequest& request);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::dualreg
