#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/evaluation.pb.h"
#include "services/orgs/evaluation_rules.h"

namespace grassroots::orgs {

struct EvaluationFilter {
  std::string area_id;  // empty: the whole scope
  int year = 0;         // 0: every year
  v1::EvaluationGrade grade = v1::EVALUATION_GRADE_UNSPECIFIED;
  v1::EvaluationState state = v1::EVALUATION_STATE_UNSPECIFIED;
};

struct EvaluationPage {
  std::vector<v1::Evaluation> evaluations;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about evaluations. Scope is the evaluated
// organisation's place; the higher review also needs the caller's scope to
// include the place of the organisation above (the street working
// committee), read when the review is recorded.
class EvaluationStore {
 public:
  // `rule` (weights and grade bounds, validated) scores every evaluation
  // completed through this store and is kept with its result.
  EvaluationStore(db::ConnectionPool& pool, const ChangeLog& changes, v1::EvaluationRule rule)
      : pool_(pool), changes_(changes), rule_(std::move(rule)) {}

  // The organisation (a community committee or general branch) must be
  // active and in the scope, the secretary a full member of it.
  // ALREADY_EXISTS (EVALUATION_EXISTS) for a second evaluation of the year.
  // Idempotent by request_id.
  absl::StatusOr<v1::Evaluation> Open(const std::string& scope, const WriteContext& write,
                                      const std::string& organisation_id, int year,
                                      const std::string& secretary_member_id);
  absl::StatusOr<v1::Evaluation> RecordSelfAssessment(const std::string& scope,
                                                      const WriteContext& write,
                                                      const std::string& id,
                                                      const std::string& etag,
                                                      const v1::SelfAssessment& self);
  // `rating` with its counts; the satisfaction rate is computed here.
  absl::StatusOr<v1::Evaluation> RecordResidentsRating(const std::string& scope,
                                                       const WriteContext& write,
                                                       const std::string& id,
                                                       const std::string& etag,
                                                       const v1::ResidentsRating& rating);
  absl::StatusOr<v1::Evaluation> RecordHigherReview(const std::string& scope,
                                                    const WriteContext& write,
                                                    const std::string& id, const std::string& etag,
                                                    const v1::HigherReview& review);
  absl::StatusOr<v1::Evaluation> Get(const std::string& scope, const std::string& id);
  // In id order after `after_id`.
  absl::StatusOr<EvaluationPage> List(const std::string& scope, const EvaluationFilter& filter,
                                      int page_size, const std::string& after_id);

  // For the area store, inside its move transaction.
  static void FollowAreaMove(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                             const std::string& old_path, const std::string& new_path);

 private:
  // Checks scope, etag and order for `step`, then `apply` fills the new
  // state and writes its columns; the change row follows.
  using Apply = std::function<absl::Status(db::Connection&, v1::Evaluation& after)>;
  absl::StatusOr<v1::Evaluation> Advance(const std::string& scope, const WriteContext& write,
                                         const std::string& id, const std::string& etag,
                                         EvaluationStep step, const Apply& apply);

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const v1::EvaluationRule rule_;
};

}  // namespace grassroots::orgs
