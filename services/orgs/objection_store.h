#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/decision.pb.h"
#include "services/orgs/decision_rules.h"

namespace grassroots::orgs {

struct ObjectionPage {
  std::vector<v1::MatterObjection> objections;
  std::string last_id;  // empty when this was the last page
};

struct OverdueObjectionPage {
  std::vector<v1::OverdueObjection> objections;
  std::string last_key;  // empty when this was the last page
};

// The only code that speaks SQL about objections to a matter's
// publications. Filing and answering one change the matter's count of open
// objections in the same transaction, under the matter row's lock, so the
// result cannot be published, nor the matter be DONE, while one is open.
class ObjectionStore {
 public:
  ObjectionStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // Against the publication that is up. Idempotent when write.request_id is set.
  absl::StatusOr<v1::MatterObjection> FileObjection(
      const std::string& scope, const WriteContext& write, const std::string& matter_id,
      const std::string& household_id, const std::string& text, const PublicationRules& rules);
  absl::StatusOr<v1::MatterObjection> AnswerObjection(
      const std::string& scope, const WriteContext& write, const std::string& id,
      const std::string& etag, const std::string& answer, const PublicationRules& rules);
  absl::StatusOr<ObjectionPage> ListObjections(const std::string& scope,
                                               const std::string& matter_id, int page_size,
                                               const std::string& after_id);
  // Open objections whose answer was due before `now`, by due time then
  // id, after `after_key` (from an earlier page).
  absl::StatusOr<OverdueObjectionPage> ListOverdue(const std::string& scope, absl::Time now,
                                                   int page_size, const std::string& after_key);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
