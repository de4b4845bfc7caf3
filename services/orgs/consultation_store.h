#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/consultation.pb.h"
#include "services/orgs/consultation_rules.h"

namespace grassroots::orgs {

struct ConsultationFilter {
  std::string organisation_id;  // its subtree; empty: all in scope
  ConsultationState state = v1::Consultation::STATE_UNSPECIFIED;
};

struct ConsultationPage {
  std::vector<v1::Consultation> consultations;
  std::string last_id;  // empty when this was the last page
};

struct OpinionPage {
  std::vector<v1::ConsultationOpinion> opinions;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about consultations, their options,
// representatives, opinions and votes. Scope is a condition on the
// consultation's place (its organisation's). One vote per household is the
// votes table's primary key: concurrent votes of a household serialise on
// it, and the loser finds the winner's row.
class ConsultationStore {
 public:
  ConsultationStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // `requested` is validated (ValidateNewConsultation). Idempotent when
  // write.request_id is set.
  absl::StatusOr<v1::Consultation> Open(const std::string& scope, const WriteContext& write,
                                        const v1::Consultation& requested);
  // With its representatives' list.
  absl::StatusOr<v1::Consultation> Get(const std::string& scope, const std::string& id,
                                       absl::Time now);
  // Without representatives' lists, oldest first after `after_id`.
  absl::StatusOr<ConsultationPage> List(const std::string& scope, const ConsultationFilter& filter,
                                        int page_size, const std::string& after_id, absl::Time now);
  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::ConsultationOpinion> SubmitOpinion(const std::string& scope,
                                                        const WriteContext& write,
                                                        const std::string& consultation_id,
                                                        const std::string& household_id,
                                                        const std::string& text);
  absl::StatusOr<OpinionPage> ListOpinions(const std::string& scope,
                                           const std::string& consultation_id, int page_size,
                                           const std::string& after_id);
  // A repeat of the household's vote under the same request id (and
  // caller) answers the first vote; any other second vote is ALREADY_EXISTS
  // HOUSEHOLD_ALREADY_VOTED.
  absl::StatusOr<v1::ConsultationBallot> CastVote(const std::string& scope,
                                                  const WriteContext& write,
                                                  const std::string& consultation_id,
                                                  const std::string& household_id,
                                                  int option_number);
  absl::StatusOr<v1::Consultation> Close(const std::string& scope, const WriteContext& write,
                                         const std::string& id, const std::string& etag);
  absl::StatusOr<v1::ConsultationResult> Result(const std::string& scope,
                                                const std::string& consultation_id, absl::Time now);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
