// The yearly three-step evaluation: steps in order, scores, weights, grades.
#include "services/orgs/evaluation_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

std::string Reason(const absl::Status& s) { return ErrorReason(s).value_or(""); }

TEST(EvaluationRulesTest, StepsGoInOrderNoneSkippedOrRepeated) {
  using S = EvaluationStep;
  const v1::EvaluationState states[] = {v1::AWAITING_SELF_ASSESSMENT, v1::AWAITING_RESIDENTS_RATING,
                                        v1::AWAITING_HIGHER_REVIEW, v1::COMPLETED};
  const S steps[] = {S::kSelfAssessment, S::kResidentsRating, S::kHigherReview};
  // Every (state, step) pair: exactly the next step is allowed.
  for (int st = 0; st < 4; ++st) {
    for (int sp = 0; sp < 3; ++sp) {
      const absl::Status s = CheckStep(states[st], steps[sp]);
      if (st == sp) {
        EXPECT_TRUE(s.ok()) << st << "/" << sp;
        EXPECT_EQ(StateAfter(steps[sp]), states[st + 1]);
        continue;
      }
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << st << "/" << sp;
      const std::string expected = st == 3   ? "EVALUATION_COMPLETED"
                                   : st < sp ? "EVALUATION_STEP_OUT_OF_ORDER"
                                             : "EVALUATION_STEP_DONE";
      EXPECT_EQ(Reason(s), expected) << st << "/" << sp;
    }
  }
  EXPECT_NE(CheckStep(v1::AWAITING_SELF_ASSESSMENT, S::kHigherReview)
                .message()
                .find("the self-assessment, which is not recorded yet"),
            std::string::npos);
  EXPECT_NE(CheckStep(v1::AWAITING_RESIDENTS_RATING, S::kHigherReview)
                .message()
                .find("the residents' rating, which is not recorded yet"),
            std::string::npos);
}

TEST(EvaluationRulesTest, OnlyCommunityOrganisationsAndPastOrCurrentYears) {
  EXPECT_TRUE(IsEvaluatedKind(v1::COMMUNITY_COMMITTEE));
  EXPECT_TRUE(IsEvaluatedKind(v1::COMMUNITY_GENERAL_BRANCH));
  EXPECT_FALSE(IsEvaluatedKind(v1::STREET_WORKING_COMMITTEE));
  EXPECT_FALSE(IsEvaluatedKind(v1::GRID_BRANCH));
  EXPECT_TRUE(ValidateEvaluationYear(2026, 2026).ok());
  EXPECT_TRUE(ValidateEvaluationYear(2000, 2026).ok());
  EXPECT_EQ(Reason(ValidateEvaluationYear(2027, 2026)), "YEAR_INVALID");
  EXPECT_EQ(Reason(ValidateEvaluationYear(1999, 2026)), "YEAR_INVALID");
}

TEST(EvaluationRulesTest, ScoresAndRatings) {
  EXPECT_TRUE(ValidateScore("score", 0).ok());
  EXPECT_TRUE(ValidateScore("score", 100).ok());
  EXPECT_EQ(Reason(ValidateScore("score", -1)), "SCORE_INVALID");
  EXPECT_EQ(Reason(ValidateScore("score", 101)), "SCORE_INVALID");
  EXPECT_TRUE(ValidateResidentsRating(100, 90, 8, 2).ok());
  EXPECT_TRUE(ValidateResidentsRating(100, 50, 0, 0).ok());  // not everyone answers
  EXPECT_TRUE(ValidateResidentsRating(1, 0, 0, 1).ok());
  EXPECT_EQ(Reason(ValidateResidentsRating(100, 90, 9, 2)), "RATING_INVALID");  // 101 answers
  EXPECT_EQ(Reason(ValidateResidentsRating(100, 0, 0, 0)), "RATING_WITHOUT_ANSWERS");
  EXPECT_EQ(Reason(ValidateResidentsRating(0, 0, 0, 0)), "RATING_INVALID");
  EXPECT_EQ(Reason(ValidateResidentsRating(100, -1, 5, 5)), "RATING_INVALID");
  EXPECT_EQ(SatisfactionRateBasisPoints(90, 8, 2), 9800);
  EXPECT_EQ(SatisfactionRateBasisPoints(0, 0, 5), 0);
  EXPECT_EQ(SatisfactionRateBasisPoints(2, 0, 1), 6667);  // 66.666...%: half up
  EXPECT_EQ(SatisfactionRateBasisPoints(1, 0, 2), 3333);
}

TEST(EvaluationRulesTest, TheDefaultRuleAndItsChecks) {
  const v1::EvaluationRule rule = DefaultEvaluationRule();
  EXPECT_EQ(rule.self_weight_percent(), 20);
  EXPECT_EQ(rule.residents_weight_percent(), 40);
  EXPECT_EQ(rule.higher_weight_percent(), 40);
  EXPECT_EQ(rule.excellent_from(), 90);
  EXPECT_EQ(rule.good_from(), 75);
  EXPECT_EQ(rule.pass_from(), 60);
  EXPECT_TRUE(ValidateEvaluationRule(rule).ok());
  auto weights = rule;
  weights.set_self_weight_percent(21);
  EXPECT_EQ(Reason(ValidateEvaluationRule(weights)), "EVALUATION_RULE_INVALID");
  weights.set_self_weight_percent(-20);
  weights.set_residents_weight_percent(80);
  EXPECT_EQ(Reason(ValidateEvaluationRule(weights)), "EVALUATION_RULE_INVALID");
  auto all_higher = rule;
  all_higher.set_self_weight_percent(0);
  all_higher.set_residents_weight_percent(0);
  all_higher.set_higher_weight_percent(100);
  EXPECT_TRUE(ValidateEvaluationRule(all_higher).ok());
  auto bounds = rule;
  bounds.set_good_from(90);  // good == excellent
  EXPECT_EQ(Reason(ValidateEvaluationRule(bounds)), "EVALUATION_RULE_INVALID");
  bounds = rule;
  bounds.set_pass_from(0);
  EXPECT_FALSE(ValidateEvaluationRule(bounds).ok());
  bounds = rule;
  bounds.set_excellent_from(101);
  EXPECT_FALSE(ValidateEvaluationRule(bounds).ok());
  bounds.set_excellent_from(100);
  EXPECT_TRUE(ValidateEvaluationRule(bounds).ok());
}

TEST(EvaluationRulesTest, TheWeightedScore) {
  const v1::EvaluationRule rule = DefaultEvaluationRule();
  // 20% of 90 + 40% of 98.00 + 40% of 85 = 18 + 39.2 + 34 = 91.20.
  EXPECT_EQ(WeightedScoreHundredths(rule, 90, 9800, 85), 9120);
  EXPECT_EQ(WeightedScoreHundredths(rule, 100, 10000, 100), 10000);
  EXPECT_EQ(WeightedScoreHundredths(rule, 0, 0, 0), 0);
  // 40% of 66.67 = 26.668 -> with 20% of 80 (16) and 40% of 70 (28): 70.668 -> 70.67.
  EXPECT_EQ(WeightedScoreHundredths(rule, 80, 6667, 70), 7067);
  // Half a hundredth rounds up: 40% of 0.01 + ... = 0.004 -> 0; 40% of 0.02 = 0.008 -> 0.01.
  EXPECT_EQ(WeightedScoreHundredths(rule, 0, 1, 0), 0);
  EXPECT_EQ(WeightedScoreHundredths(rule, 0, 2, 0), 1);
  auto half = rule;
  half.set_self_weight_percent(0);
  half.set_residents_weight_percent(50);
  half.set_higher_weight_percent(50);
  EXPECT_EQ(WeightedScoreHundredths(half, 0, 1, 0), 1);  // exactly 0.005: up
}

TEST(EvaluationRulesTest, GradesAtAndEitherSideOfEachBound) {
  const v1::EvaluationRule rule = DefaultEvaluationRule();
  EXPECT_EQ(GradeFor(rule, 10000), v1::EXCELLENT);
  EXPECT_EQ(GradeFor(rule, 9001), v1::EXCELLENT);
  EXPECT_EQ(GradeFor(rule, 9000), v1::EXCELLENT);
  EXPECT_EQ(GradeFor(rule, 8999), v1::GOOD);
  EXPECT_EQ(GradeFor(rule, 7501), v1::GOOD);
  EXPECT_EQ(GradeFor(rule, 7500), v1::GOOD);
  EXPECT_EQ(GradeFor(rule, 7499), v1::PASS);
  EXPECT_EQ(GradeFor(rule, 6001), v1::PASS);
  EXPECT_EQ(GradeFor(rule, 6000), v1::PASS);
  EXPECT_EQ(GradeFor(rule, 5999), v1::FAIL);
  EXPECT_EQ(GradeFor(rule, 0), v1::FAIL);
  // Other bounds from the options.
  auto strict = rule;
  strict.set_excellent_from(95);
  strict.set_good_from(85);
  strict.set_pass_from(70);
  EXPECT_EQ(GradeFor(strict, 9499), v1::GOOD);
  EXPECT_EQ(GradeFor(strict, 9500), v1::EXCELLENT);
  EXPECT_EQ(GradeFor(strict, 6999), v1::FAIL);
  // The result carries the rule it was computed by.
  const v1::EvaluationResult result = ResultOf(rule, 90, 9800, 85);
  EXPECT_EQ(result.weighted_score_hundredths(), 9120);
  EXPECT_EQ(result.grade(), v1::EXCELLENT);
  EXPECT_EQ(result.rule().residents_weight_percent(), 40);
  // 20% of 90 + 40% of 89.97 + 40% of 90 = 89.988, rounded 89.99: still GOOD.
  EXPECT_EQ(ResultOf(rule, 90, 8997, 90).weighted_score_hundredths(), 8999);
  EXPECT_EQ(ResultOf(rule, 90, 8997, 90).grade(), v1::GOOD);
}

}  // namespace
}  // namespace grassroots::orgs
