#include "services/careers/assessment_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

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

}  // namespace
}  // namespace grassroots::careers
