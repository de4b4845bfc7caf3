#include "services/careers/area_assessment.h"

#include <map>
#include <set>
#include <vector>

#include "common/status/errors.h"
#include "services/careers/assessment_rules.h"

namespace grassroots::careers {
namespace {

// Ids a summary names at most, so the answer stays small.
constexpr int kMissingNamed = 1000;

void CountResult(v1::AssessmentResult result, v1::AssessAreaSummary& summary) {
  switch (result) {
    case v1::ASSESSMENT_EXCELLENT:
      summary.set_excellent(summary.excellent() + 1);
      break;
    case v1::ASSESSMENT_COMPETENT:
      summary.set_competent(summary.competent() + 1);
      break;
    case v1::ASSESSMENT_BASICALLY_COMPETENT:
      summary.set_basically_competent(summary.basically_competent() + 1);
      break;
    default:
      summary.set_incompetent(summary.incompetent() + 1);
      break;
  }
}

void Refuse(v1::AssessAreaSummary& summary, const std::string& worker_id, const absl::Status& why) {
  v1::AssessmentRefusal* refusal = summary.add_refused();
  refusal->set_worker_id(worker_id);
  refusal->set_reason(ErrorReason(why).value_or("REFUSED"));
  refusal->set_message(std::string(why.message()));
}

}  // namespace

absl::StatusOr<v1::AssessAreaSummary> AssessArea(const Call& call, const WriteContext& write,
                                                 AssessmentStore& store,
                                                 const GridCaseFigures& grid,
                                                 const v1::AssessAreaRequest& request) {
  std::map<std::string, const v1::WorkerScores*> scores;
  for (const v1::WorkerScores& s : request.scores()) {
    if (!scores.emplace(s.worker_id(), &s).second) {
      return InvalidField("scores", "WORKER_SCORED_TWICE",
                          "each worker has at most one entry of scores");
    }
  }
  auto workers = store.AreaWorkers(call.principal.scope_path(), request.path(), request.year());
  if (!workers.ok()) return workers.status();

  v1::AssessAreaSummary summary;
  summary.set_path(request.path());
  summary.set_year(request.year());
  summary.set_workers(static_cast<int>(workers->size()));
  // The workers to assess now, by community.
  std::map<std::string, std::vector<const v1::WorkerScores*>> by_community;
  for (const AreaWorker& w : *workers) {
    auto given = scores.find(w.worker_id);
    const v1::WorkerScores* s = given == scores.end() ? nullptr : given->second;
    if (given != scores.end()) scores.erase(given);
    if (w.assessed) {
      summary.set_already_assessed(summary.already_assessed() + 1);
    } else if (s == nullptr) {
      if (summary.missing_scores_size() < kMissingNamed) summary.add_missing_scores(w.worker_id);
      summary.set_missing_scores_count(summary.missing_scores_count() + 1);
    } else {
      by_community[w.community_path].push_back(s);
    }
  }
  for (const auto& [worker_id, unused] : scores) {
    Refuse(summary, worker_id,
           InvalidField("scores.worker_id", "WORKER_NOT_IN_AREA",
                        "not an active worker under the path"));
  }

  std::set<std::string> communities;
  for (const auto& [community, unused] : by_community) communities.insert(community);
  auto weights = store.WeightsFor(communities, request.year());
  if (!weights.ok()) return weights.status();
  std::vector<v1::Assessment> assessments;
  for (const auto& [community, scored] : by_community) {
    auto cases = grid.ForCommunity(call, community, request.year());
    summary.set_grid_calls(summary.grid_calls() + 1);
    if (!cases.ok()) return cases.status();
    for (const v1::WorkerScores* s : scored) {
      auto found = cases->find(s->worker_id());
      const CasePerformance performance = found == cases->end() ? CasePerformance{} : found->second;
      auto assessed = AssessWorker(weights->at(community), *s, performance, request.year());
      if (!assessed.ok()) {
        Refuse(summary, s->worker_id(), assessed.status());
        continue;
      }
      assessed->set_community_path(community);
      assessments.push_back(*std::move(assessed));
    }
  }
  auto recorded = store.RecordMany(write, assessments);
  if (!recorded.ok()) return recorded.status();
  summary.set_assessed(static_cast<int>(recorded->size()));
  // Recorded by a concurrent call in the meantime: assessed before this one.
  summary.set_already_assessed(summary.already_assessed() +
                               static_cast<int>(assessments.size() - recorded->size()));
  for (v1::AssessmentResult result : *recorded) CountResult(result, summary);
  return summary;
}

}  // namespace grassroots::careers
