// Annual assessments against the real database: weights per region by
// year, records kept with their inputs (once per worker and year,
// idempotent, in the change feed), a year's list and proposals, the
// promotion ladder reading them, and what careers answers while grid,
// which counts the cases, is away.
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "services/careers/assessment_rules.h"
#include "tests/integration/careers_fixture.h"

namespace grassroots::careers::testing {
namespace {

using Stub = v1::AssessmentService::Stub;

v1::WorkerScores Scores(const std::string& worker_id, int self_review, int field_visit,
                        int survey) {
  v1::WorkerScores s;
  s.set_worker_id(worker_id);
  s.set_self_review_score(self_review);
  s.set_field_visit_score(field_visit);
  s.set_survey_score(survey);
  return s;
}

class CareersAssessmentTest : public CareersServiceTest {
 protected:
  // The worker's assessment of the year as AssessmentService records it,
  // with the case counts grid would have given.
  absl::StatusOr<v1::Assessment> Record(const v1::Worker& worker, int year,
                                        const v1::WorkerScores& scores,
                                        const CasePerformance& cases,
                                        const std::string& request_id = "") {
    auto weights = assessment_store().WeightsFor(worker.community_path(), year);
    if (!weights.ok()) return weights.status();
    auto assessed = AssessWorker(*weights, scores, cases, year);
    if (!assessed.ok()) return assessed.status();
    assessed->set_community_path(worker.community_path());
    return assessment_store().Record("", WriteContext{"hr-1", request_id, absl::Now()}, *assessed);
  }
};

TEST_F(CareersAssessmentTest, WeightsApplyFromTheirYearInTheNearestRegion) {
  v1::SetAssessmentWeightsRequest set;
  v1::AssessmentWeights* w = set.mutable_weights();
  w->set_region_path("ca-d");
  w->set_effective_year(2025);
  w->set_self_review(10);
  w->set_field_visit(10);
  w->set_survey(60);
  w->set_case_performance(20);
  auto made = Rpc(*assessments_, &Stub::SetAssessmentWeights, set);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->actor(), "tester");
  w->set_region_path("ca-d/s1");
  w->set_effective_year(2027);
  w->set_survey(40);
  w->set_case_performance(40);
  ASSERT_TRUE(Rpc(*assessments_, &Stub::SetAssessmentWeights, set).ok());

  v1::GetAssessmentWeightsRequest get;
  get.set_path("ca-d/s1/c1");
  get.set_year(2026);
  auto applied = Rpc(*assessments_, &Stub::GetAssessmentWeights, get);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->region_path(), "ca-d");
  EXPECT_EQ(applied->survey(), 60);
  get.set_year(2027);
  applied = Rpc(*assessments_, &Stub::GetAssessmentWeights, get);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->region_path(), "ca-d/s1");
  EXPECT_EQ(applied->case_performance(), 40);
  get.set_year(2024);  // before any set: the defaults
  applied = Rpc(*assessments_, &Stub::GetAssessmentWeights, get);
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(applied->effective_year(), 0);
  EXPECT_EQ(applied->survey(), 30);

  w->set_case_performance(41);
  EXPECT_EQ(Reason(Rpc(*assessments_, &Stub::SetAssessmentWeights, set).status()),
            "WEIGHTS_INVALID");
  w->set_case_performance(40);
  w->set_region_path("ca-d/s2");
  EXPECT_EQ(Reason(Rpc(*assessments_, &Stub::SetAssessmentWeights, set, "ca-d/s1").status()),
            "OUT_OF_SCOPE");
}

TEST_F(CareersAssessmentTest, AnAssessmentIsKeptOnceWithItsInputsAndInTheFeed) {
  auto worker = NewWorker("cb-d/s3/c1", IdNumber(500));
  ASSERT_TRUE(worker.ok()) << worker.status();
  const int feed_before =
      CountRows("SELECT COUNT(*) FROM change_log WHERE resource_id LIKE 'assessment/%'");
  auto first = Record(*worker, 2025, Scores(worker->id(), 90, 80, 95), {20, 18, 10, 45}, "rq-a1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->weighted_score_tenths(), 892);
  EXPECT_EQ(first->result(), v1::ASSESSMENT_COMPETENT);
  // A retry answers as the first call did; another call is refused.
  auto again = Record(*worker, 2025, Scores(worker->id(), 10, 10, 10), {}, "rq-a1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->weighted_score_tenths(), 892);
  EXPECT_EQ(Reason(Record(*worker, 2025, Scores(worker->id(), 10, 10, 10), {}).status()),
            "ASSESSMENT_EXISTS");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM change_log WHERE resource_id LIKE 'assessment/%'"),
            feed_before + 1);

  v1::GetAssessmentRequest get;
  get.set_worker_id(worker->id());
  get.set_year(2025);
  auto kept = Rpc(*assessments_, &Stub::GetAssessment, get);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->case_performance().on_time(), 18);
  EXPECT_EQ(kept->case_performance().satisfaction_sum(), 45);
  EXPECT_EQ(kept->weights().case_performance(), 30);
  EXPECT_EQ(kept->community_path(), "cb-d/s3/c1");
  EXPECT_EQ(kept->actor(), "hr-1");
  // Another street's officer cannot tell it exists.
  EXPECT_EQ(Reason(Rpc(*assessments_, &Stub::GetAssessment, get, "cb-d/s4").status()),
            "OUT_OF_SCOPE");
  get.set_year(2024);
  EXPECT_EQ(Reason(Rpc(*assessments_, &Stub::GetAssessment, get).status()), "ASSESSMENT_NOT_FOUND");
}

TEST_F(CareersAssessmentTest, TheLadderReadsRecordedAssessments) {
  auto worker = NewWorker("ca-d/s5/c1", IdNumber(501), "2020-03-01");
  ASSERT_TRUE(worker.ok()) << worker.status();
  v1::ChangeWorkerRequest step;
  step.set_id(worker->id());
  step.set_etag(worker->etag());
  step.set_kind(v1::CHANGE_LADDER_STEP);
  step.set_rung(v1::RUNG_COMMITTEE_MEMBER);
  step.set_effective_date("2026-01-10");
  step.set_reason("two years on the rung, assessed competent");
  EXPECT_EQ(Reason(Rpc(*workers_, &v1::WorkerService::Stub::ChangeWorker, step).status()),
            "LADDER_ASSESSMENTS_MISSING");
  ASSERT_TRUE(Record(*worker, 2024, Scores(worker->id(), 90, 90, 90), {}).ok());
  ASSERT_TRUE(Record(*worker, 2025, Scores(worker->id(), 65, 65, 65), {}).ok());
  // The latest year decides: basically competent is below the step's need.
  EXPECT_EQ(Reason(Rpc(*workers_, &v1::WorkerService::Stub::ChangeWorker, step).status()),
            "LADDER_ASSESSMENT_BELOW");
  auto other = NewWorker("ca-d/s5/c1", IdNumber(502), "2020-03-01");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(Record(*other, 2025, Scores(other->id(), 80, 80, 80), {}).ok());
  step.set_id(other->id());
  step.set_etag(other->etag());
  auto stepped = Rpc(*workers_, &v1::WorkerService::Stub::ChangeWorker, step);
  ASSERT_TRUE(stepped.ok()) << stepped.status();
  EXPECT_EQ(stepped->rung(), v1::RUNG_COMMITTEE_MEMBER);

  v1::ListAssessmentsRequest list;
  list.set_worker_id(worker->id());
  auto years = Rpc(*assessments_, &Stub::ListAssessments, list);
  ASSERT_TRUE(years.ok()) << years.status();
  ASSERT_EQ(years->assessments_size(), 2);
  EXPECT_EQ(years->assessments(0).year(), 2025);  // newest first
}

TEST_F(CareersAssessmentTest, AYearsResultsProposeTheNextYearPagedByWorker) {
  std::vector<v1::Worker> workers;
  for (int i = 0; i < 3; ++i) {
    auto made = NewWorker("ca-d/s6/c1", IdNumber(510 + i));
    ASSERT_TRUE(made.ok()) << made.status();
    workers.push_back(*made);
  }
  std::vector<v1::Assessment> batch;
  for (const auto& [w, score] : std::vector<std::pair<v1::Worker, int>>{
           {workers[0], 95}, {workers[1], 80}, {workers[2], 40}}) {
    auto a = AssessWorker(*assessment_store().WeightsFor("ca-d/s6/c1", 2026),
                          Scores(w.id(), score, score, score), {}, 2026);
    ASSERT_TRUE(a.ok());
    a->set_community_path(w.community_path());
    batch.push_back(*a);
  }
  auto recorded = assessment_store().RecordMany(WriteContext{"hr-2", "", absl::Now()}, batch);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->size(), 3u);
  // Again: each is there already.
  recorded = assessment_store().RecordMany(WriteContext{"hr-2", "", absl::Now()}, batch);
  ASSERT_TRUE(recorded.ok());
  EXPECT_TRUE(recorded->empty());
  ASSERT_TRUE(Record(workers[2], 2025, Scores(workers[2].id(), 30, 30, 30), {}).ok());

  v1::ListAssessmentProposalsRequest request;
  request.set_path_prefix("ca-d/s6");
  request.set_year(2026);
  request.set_page_size(2);
  auto page = Rpc(*assessments_, &Stub::ListAssessmentProposals, request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->proposals_size(), 2);
  ASSERT_FALSE(page->next_page_token().empty());
  std::map<std::string, v1::AssessmentProposal> by_worker;
  for (const auto& p : page->proposals()) by_worker[p.worker_id()] = p;
  request.set_page_token(page->next_page_token());
  page = Rpc(*assessments_, &Stub::ListAssessmentProposals, request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->proposals_size(), 1);
  EXPECT_TRUE(page->next_page_token().empty());
  by_worker[page->proposals(0).worker_id()] = page->proposals(0);
  ASSERT_EQ(by_worker.size(), 3u);
  const auto& excellent = by_worker[workers[0].id()];
  EXPECT_TRUE(excellent.grade_step() && excellent.pay_rise() && excellent.renew_contract());
  const auto& competent = by_worker[workers[1].id()];
  EXPECT_TRUE(competent.renew_contract());
  EXPECT_FALSE(competent.grade_step() || competent.pay_rise());
  const auto& failing = by_worker[workers[2].id()];
  EXPECT_EQ(failing.previous_result(), v1::ASSESSMENT_INCOMPETENT);
  EXPECT_TRUE(failing.dismissal_review());
  EXPECT_FALSE(failing.renew_contract());

  v1::ListAssessmentsRequest year;
  year.set_path_prefix("ca-d/s6");
  year.set_year(2026);
  auto listed = Rpc(*assessments_, &Stub::ListAssessments, year);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->assessments_size(), 3);
  year.set_worker_id(workers[0].id());
  EXPECT_EQ(Reason(Rpc(*assessments_, &Stub::ListAssessments, year).status()), "WORKER_OR_YEAR");
}

TEST_F(CareersAssessmentTest, WhileGridIsAwayNothingIsHalfRecorded) {
  auto worker = NewWorker("ca-d/s7/c1", IdNumber(520));
  ASSERT_TRUE(worker.ok()) << worker.status();
  auto unscored = NewWorker("ca-d/s7/c2", IdNumber(521));
  ASSERT_TRUE(unscored.ok()) << unscored.status();
  v1::RecordAssessmentRequest record;
  record.set_worker_id(worker->id());
  record.set_year(2026);
  record.set_self_review_score(80);
  record.set_field_visit_score(80);
  record.set_survey_score(80);
  record.set_request_id("rq-grid-away");
  EXPECT_EQ(Reason(Rpc(*assessments_, &Stub::RecordAssessment, record).status()),
            "GRID_UNAVAILABLE");

  v1::AssessAreaRequest area;
  area.set_path("ca-d/s7");
  area.set_year(2026);
  *area.add_scores() = Scores(worker->id(), 80, 80, 80);
  EXPECT_EQ(Reason(Rpc(*assessments_, &Stub::AssessArea, area).status()), "GRID_UNAVAILABLE");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM assessments WHERE community_path LIKE 'ca-d/s7/%'"), 0);

  // Without anyone to assess grid is not asked: who lacks scores, whose
  // scores were not used.
  area.clear_scores();
  *area.add_scores() = Scores("wk_elsewhere", 80, 80, 80);
  auto summary = Rpc(*assessments_, &Stub::AssessArea, area);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->workers(), 2);
  EXPECT_EQ(summary->assessed(), 0);
  EXPECT_EQ(summary->missing_scores_count(), 2);
  EXPECT_EQ(summary->grid_calls(), 0);
  ASSERT_EQ(summary->refused_size(), 1);
  EXPECT_EQ(summary->refused(0).reason(), "WORKER_NOT_IN_AREA");
  *area.add_scores() = Scores("wk_elsewhere", 1, 1, 1);
  EXPECT_EQ(Reason(Rpc(*assessments_, &Stub::AssessArea, area).status()), "WORKER_SCORED_TWICE");
  area.clear_scores();
  area.set_path("ca-d/s8");
  EXPECT_EQ(Reason(Rpc(*assessments_, &Stub::AssessArea, area, "ca-d/s7").status()),
            "OUT_OF_SCOPE");
}

}  // namespace
}  // namespace grassroots::careers::testing
