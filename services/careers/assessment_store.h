#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/careers/v1/assessment.pb.h"

namespace grassroots::careers {

// An active worker under an area, as a batch assessment needs them.
struct AreaWorker {
  std::string worker_id;
  std::string community_path;
  bool assessed = false;  // assessed for the year already
};

template <typename Item>
struct AssessmentPage {
  std::vector<Item> items;
  std::string last_key;  // empty when this was the last page
};

// The only code that speaks SQL about assessments and their weights. Each
// recorded assessment is one audit and outbox row (the change feed's
// "assessment/<worker>/<year>").
class AssessmentStore {
 public:
  AssessmentStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::AssessmentWeights> SetWeights(const std::string& scope,
                                                   const WriteContext& write,
                                                   const v1::AssessmentWeights& weights);
  // The weights that apply to `path` in `year` (see GetAssessmentWeights).
  absl::StatusOr<v1::AssessmentWeights> WeightsFor(const std::string& path, int year);
  // The same for several communities, read once each.
  absl::StatusOr<std::map<std::string, v1::AssessmentWeights>> WeightsFor(
      const std::set<std::string>& communities, int year);

  // The community of a worker in the scope (PERMISSION_DENIED or NOT_FOUND
  // as Hidden says otherwise).
  absl::StatusOr<std::string> CommunityOf(const std::string& scope, const std::string& worker_id);
  // The first answer to this request id, when there was one.
  std::optional<v1::Assessment> Earlier(const WriteContext& write);
  // ALREADY_EXISTS (ASSESSMENT_EXISTS) for a second one of the worker and
  // year; the worker must still be in the scope and in that community.
  absl::StatusOr<v1::Assessment> Record(const std::string& scope, const WriteContext& write,
                                        const v1::Assessment& assessment);

  // Active workers under `path` (within the scope), by id.
  absl::StatusOr<std::vector<AreaWorker>> AreaWorkers(const std::string& scope,
                                                      const std::string& path, int year);
  // Records many in transactions of a few hundred each, leaving out any a
  // concurrent call recorded first; the results of those it recorded.
  absl::StatusOr<std::vector<v1::AssessmentResult>> RecordMany(
      const WriteContext& write, const std::vector<v1::Assessment>& assessments);

  absl::StatusOr<v1::Assessment> Get(const std::string& scope, const std::string& worker_id,
                                     int year);
  // Newest first.
  absl::StatusOr<std::vector<v1::Assessment>> OfWorker(const std::string& scope,
                                                       const std::string& worker_id);
  // A year's under the path, by worker id after `after_id`.
  absl::StatusOr<AssessmentPage<v1::Assessment>> OfYear(const std::string& scope,
                                                        const std::string& path, int year,
                                                        int page_size, const std::string& after_id);
  absl::StatusOr<AssessmentPage<v1::AssessmentProposal>> Proposals(const std::string& scope,
                                                                   const std::string& path,
                                                                   int year, int page_size,
                                                                   const std::string& after_id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::careers
