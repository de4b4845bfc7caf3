#pragma once

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/decision.pb.h"
#include "services/orgs/decision_rules.h"

namespace grassroots::orgs {

struct MatterProposal {
  v1::Matter matter;  // organisation_id, title, description, proposer_member_id
  absl::CivilDay date;
  v1::MatterParticipants participants;
  std::string note;
};

// The committees' deliberation, the assembly's review or the
// representatives' resolution, as recorded.
struct MeetingRecord {
  StepKind kind = v1::MatterStep::KIND_UNSPECIFIED;
  absl::CivilDay date;
  v1::MatterParticipants participants;
  v1::MatterVote vote;  // entitled (but for the assembly) and the votes cast
  std::string note;
};

struct StreetReviewRecord {
  absl::CivilDay date;
  bool approve = false;
  std::string reason;
  v1::MatterParticipants participants;
};

struct MatterFilter {
  std::string organisation_id;  // its subtree
  std::string area_id;          // its place and below
  MatterState state = v1::Matter::STATE_UNSPECIFIED;
};

struct MatterPage {
  std::vector<v1::Matter> matters;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about matters and their steps (with
// matter_sql; objections are the ObjectionStore's). Scope is a condition on
// the matter's place (its organisation's). Each
// step locks the matter row, checks the etag and the step order, and writes
// the step, the matter and a change row in one transaction; the rules come
// from decision_rules. The member assembly's entitled are counted here from
// the roster on the meeting's date (the full members of the organisation's
// subtree that day, from MembershipHistory).
class DecisionStore {
 public:
  DecisionStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::Matter> Propose(const std::string& scope, const WriteContext& write,
                                     const MatterProposal& proposal, const PublicationRules& rules);
  absl::StatusOr<v1::Matter> Get(const std::string& scope, const std::string& id, absl::Time now,
                                 const PublicationRules& rules);
  // Without step histories, oldest first after `after_id`.
  absl::StatusOr<MatterPage> List(const std::string& scope, const MatterFilter& filter,
                                  int page_size, const std::string& after_id, absl::Time now,
                                  const PublicationRules& rules);
  absl::StatusOr<v1::Matter> RecordMeeting(const std::string& scope, const WriteContext& write,
                                           const std::string& id, const std::string& etag,
                                           const MeetingRecord& meeting,
                                           const PublicationRules& rules);
  // The caller's scope must include the community's street.
  absl::StatusOr<v1::Matter> RecordStreetReview(const std::string& scope, const WriteContext& write,
                                                const std::string& id, const std::string& etag,
                                                const StreetReviewRecord& review,
                                                const PublicationRules& rules);
  // `publication` is RESOLUTION_PUBLICATION or RESULT_PUBLICATION, posted now.
  absl::StatusOr<v1::Matter> Publish(const std::string& scope, const WriteContext& write,
                                     const std::string& id, const std::string& etag,
                                     StepKind publication, const std::string& content,
                                     const PublicationRules& rules);

 private:
  // What a step adds, given the matter before it: fills in `step` and may
  // change `next` (REJECTED when a vote fails or the street rejects).
  using StepBody = absl::FunctionRef<absl::Status(db::Connection&, const v1::Matter& before,
                                                  v1::MatterStep& step, MatterState& next)>;
  absl::StatusOr<v1::Matter> Advance(const std::string& scope, const WriteContext& write,
                                     const std::string& id, const std::string& etag, StepKind kind,
                                     bool street_only, const PublicationRules& rules,
                                     StepBody body);

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
