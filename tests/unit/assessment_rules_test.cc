#include "services/careers/assessment_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "services/careers/case_performance.h"

namespace grassroots::careers {
namespace {

TEST(Assessment, TheDefaultWeightsSumToAHundred) {
  EXPECT_TRUE(ValidateWeights(AssessmentWeights()).ok());
  EXPECT_EQ(ErrorReason(ValidateWeights({30, 20, 30, 30})), "WEIGHTS_INVALID");
  EXPECT_EQ(ErrorReason(ValidateWeights({-10, 40, 40, 30})), "WEIGHTS_INVALID");
}

TEST(Assessment, CaseScoreFromOnTimeRateAndRatings) {
  EXPECT_FALSE(CaseScore({}).has_value());
  EXPECT_DOUBLE_EQ(*CaseScore({10, 10, 10, 50}), 100.0);
  EXPECT_DOUBLE_EQ(*CaseScore({10, 5, 10, 10}), 30.0);  // half on time, all rated 1
  EXPECT_DOUBLE_EQ(*CaseScore({4, 4, 0, 0}), 80.0);     // none rated: the middle
}

TEST(Assessment, WeightedScoreAndItsResult) {
  AssessmentScores s;
  s.self_review = 90;
  s.field_visit = 80;
  s.survey = 95;
  s.cases = {20, 18, 10, 45};  // 54 + 35 = 89
  auto a = Assess(AssessmentWeights(), s);
  ASSERT_TRUE(a.ok()) << a.status();
  // (20*90 + 20*80 + 30*95 + 30*89) / 100 = 89.2
  EXPECT_EQ(a->score_tenths, 892);
  EXPECT_EQ(a->result, v1::ASSESSMENT_COMPETENT);
  // A region weighing the survey more.
  a = Assess({10, 10, 60, 20}, s);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->score_tenths, 918);  // 9 + 8 + 57 + 17.8
  EXPECT_EQ(a->result, v1::ASSESSMENT_EXCELLENT);
}

TEST(Assessment, WithoutCasesTheOtherPartsShareTheWeight) {
  AssessmentScores s;
  s.self_review = 70;
  s.field_visit = 70;
  s.survey = 70;
  auto a = Assess(AssessmentWeights(), s);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->score_tenths, 700);
  EXPECT_EQ(a->result, v1::ASSESSMENT_BASICALLY_COMPETENT);
}

TEST(Assessment, ThresholdsAtAndEitherSide) {
  EXPECT_EQ(ResultFor(900), v1::ASSESSMENT_EXCELLENT);
  EXPECT_EQ(ResultFor(899), v1::ASSESSMENT_COMPETENT);
  EXPECT_EQ(ResultFor(750), v1::ASSESSMENT_COMPETENT);
  EXPECT_EQ(ResultFor(749), v1::ASSESSMENT_BASICALLY_COMPETENT);
  EXPECT_EQ(ResultFor(600), v1::ASSESSMENT_BASICALLY_COMPETENT);
  EXPECT_EQ(ResultFor(599), v1::ASSESSMENT_INCOMPETENT);
}

TEST(Assessment, BadInputIsNamed) {
  AssessmentScores s;
  s.survey = 101;
  EXPECT_EQ(ErrorField(Assess(AssessmentWeights(), s).status()), "survey_score");
  s.survey = 50;
  s.cases = {3, 4, 0, 0};
  EXPECT_EQ(ErrorReason(Assess(AssessmentWeights(), s).status()), "CASE_COUNTS_INVALID");
  s.cases = {3, 3, 2, 11};  // two ratings cannot sum to 11
  EXPECT_EQ(ErrorReason(Assess(AssessmentWeights(), s).status()), "CASE_COUNTS_INVALID");
}

TEST(Assessment, TheResultDrivesTheProposals) {
  Proposals p = ProposalsFor(v1::ASSESSMENT_EXCELLENT, std::nullopt);
  EXPECT_TRUE(p.grade_step && p.pay_rise && p.renew_contract);
  p = ProposalsFor(v1::ASSESSMENT_COMPETENT, v1::ASSESSMENT_INCOMPETENT);
  EXPECT_TRUE(p.renew_contract);
  EXPECT_FALSE(p.grade_step || p.pay_rise || p.dismissal_review);
  p = ProposalsFor(v1::ASSESSMENT_INCOMPETENT, v1::ASSESSMENT_COMPETENT);
  EXPECT_FALSE(p.renew_contract || p.dismissal_review);
  p = ProposalsFor(v1::ASSESSMENT_INCOMPETENT, v1::ASSESSMENT_INCOMPETENT);
  EXPECT_TRUE(p.dismissal_review);
}

TEST(Assessment, AWeightSetNeedsItsYear) {
  v1::AssessmentWeights w;
  w.set_self_review(25);
  w.set_field_visit(25);
  w.set_survey(25);
  w.set_case_performance(25);
  EXPECT_EQ(ErrorField(ValidateWeightSet(w)), "weights.effective_year");
  w.set_effective_year(2026);
  EXPECT_TRUE(ValidateWeightSet(w).ok());
  w.set_case_performance(26);
  EXPECT_EQ(ErrorReason(ValidateWeightSet(w)), "WEIGHTS_INVALID");
}

TEST(Assessment, AWorkersRecordKeepsItsInputsAndWeights) {
  v1::AssessmentWeights w;
  w.set_region_path("d01");
  w.set_effective_year(2025);
  w.set_self_review(10);
  w.set_field_visit(10);
  w.set_survey(60);
  w.set_case_performance(20);
  v1::WorkerScores scores;
  scores.set_worker_id("wk_1");
  scores.set_self_review_score(90);
  scores.set_field_visit_score(80);
  scores.set_survey_score(95);
  auto a = AssessWorker(w, scores, {20, 18, 10, 45}, 2026);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->worker_id(), "wk_1");
  EXPECT_EQ(a->year(), 2026);
  EXPECT_EQ(a->weighted_score_tenths(), 918);
  EXPECT_EQ(a->result(), v1::ASSESSMENT_EXCELLENT);
  EXPECT_EQ(a->weights().region_path(), "d01");
  EXPECT_EQ(a->case_performance().handled(), 20);
  EXPECT_DOUBLE_EQ(a->case_performance().score(), 89.0);
  // No case handled: the score says so, and the others carry the weight.
  a = AssessWorker(w, scores, {}, 2026);
  ASSERT_TRUE(a.ok());
  EXPECT_DOUBLE_EQ(a->case_performance().score(), -1.0);
  EXPECT_EQ(a->weighted_score_tenths(), 925);  // (9 + 8 + 57) / 0.8
  scores.set_field_visit_score(-1);
  EXPECT_EQ(ErrorField(AssessWorker(w, scores, {}, 2026).status()), "field_visit_score");
}

TEST(Assessment, AllWeightOnCasesAndNoCaseIsIncompetent) {
  v1::AssessmentWeights w;
  w.set_case_performance(100);
  v1::WorkerScores scores;
  scores.set_self_review_score(100);
  auto a = AssessWorker(w, scores, {}, 2026);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->weighted_score_tenths(), 0);
  EXPECT_EQ(a->result(), v1::ASSESSMENT_INCOMPETENT);
}

TEST(Assessment, CasePerformanceFromGridsWorkerFigures) {
  grid::v1::CaseFigures f;
  f.set_closed(8);
  f.set_closed_on_time(6);
  f.set_evaluated(4);
  f.set_mean_satisfaction(4.25);
  CasePerformance p = PerformanceOf(f);
  EXPECT_EQ(p.handled, 8);
  EXPECT_EQ(p.on_time, 6);
  EXPECT_EQ(p.evaluated, 4);
  EXPECT_EQ(p.satisfaction_sum, 17);
  // Ratings this year of cases closed last year: kept at their mean over
  // this year's closures, so Assess accepts the counts.
  f.set_closed(2);
  f.set_closed_on_time(2);
  p = PerformanceOf(f);
  EXPECT_EQ(p.evaluated, 2);
  EXPECT_EQ(p.satisfaction_sum, 9);  // 8.5 rounded
  AssessmentScores s;
  s.cases = p;
  EXPECT_TRUE(Assess(AssessmentWeights(), s).ok());
  // Nothing closed: nothing handled, whatever was rated.
  f.set_closed(0);
  p = PerformanceOf(f);
  EXPECT_EQ(p.handled, 0);
  EXPECT_EQ(p.evaluated, 0);
  EXPECT_EQ(p.satisfaction_sum, 0);
  EXPECT_FALSE(CaseScore(p).has_value());
}

}  // namespace
}  // namespace grassroots::careers
