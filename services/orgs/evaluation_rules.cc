#include "services/orgs/evaluation_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

const char* StepName(EvaluationStep step) {
  switch (step) {
    case EvaluationStep::kSelfAssessment:
      return "the self-assessment";
    case EvaluationStep::kResidentsRating:
      return "the residents' rating";
    case EvaluationStep::kHigherReview:
      return "the higher organisation's review";
  }
  return "";
}

v1::EvaluationState StateBefore(EvaluationStep step) {
  switch (step) {
    case EvaluationStep::kSelfAssessment:
      return v1::AWAITING_SELF_ASSESSMENT;
    case EvaluationStep::kResidentsRating:
      return v1::AWAITING_RESIDENTS_RATING;
    case EvaluationStep::kHigherReview:
      return v1::AWAITING_HIGHER_REVIEW;
  }
  return v1::EVALUATION_STATE_UNSPECIFIED;
}

}  // namespace

v1::EvaluationRule DefaultEvaluationRule() {
  v1::EvaluationRule rule;
  rule.set_self_weight_percent(20);
  rule.set_residents_weight_percent(40);
  rule.set_higher_weight_percent(40);
  rule.set_excellent_from(90);
  rule.set_good_from(75);
  rule.set_pass_from(60);
  return rule;
}

absl::Status ValidateEvaluationRule(const v1::EvaluationRule& rule) {
  for (const int32_t weight : {rule.self_weight_percent(), rule.residents_weight_percent(),
                               rule.higher_weight_percent()}) {
    if (weight < 0 || weight > 100) {
      return InvalidField("evaluation weights", "EVALUATION_RULE_INVALID",
                          "each weight is a percentage from 0 to 100");
    }
  }
  const int32_t sum =
      rule.self_weight_percent() + rule.residents_weight_percent() + rule.higher_weight_percent();
  if (sum != 100) {
    return InvalidField("evaluation weights", "EVALUATION_RULE_INVALID",
                        absl::StrCat("the three weights must sum to 100, not ", sum));
  }
  if (!(0 < rule.pass_from() && rule.pass_from() < rule.good_from() &&
        rule.good_from() < rule.excellent_from() && rule.excellent_from() <= 100)) {
    return InvalidField(
        "evaluation grade bounds", "EVALUATION_RULE_INVALID",
        absl::StrCat("need 0 < pass < good < excellent <= 100, not pass ", rule.pass_from(),
                     ", good ", rule.good_from(), ", excellent ", rule.excellent_from()));
  }
  return absl::OkStatus();
}

bool IsEvaluatedKind(v1::OrganisationKind kind) {
  return kind == v1::COMMUNITY_COMMITTEE || kind == v1::COMMUNITY_GENERAL_BRANCH;
}

absl::Status ValidateEvaluationYear(int year, int current_year) {
  if (year < 2000 || year > current_year) {
    return InvalidField("year", "YEAR_INVALID",
                        absl::StrCat("must be a year from 2000 to ", current_year,
                                     " (a year is evaluated during or after it), not ", year));
  }
  return absl::OkStatus();
}

absl::Status CheckStep(v1::EvaluationState state, EvaluationStep step) {
  const v1::EvaluationState needed = StateBefore(step);
  if (state == needed) return absl::OkStatus();
  if (state == v1::COMPLETED) {
    return FailedPrecondition(
        "EVALUATION_COMPLETED",
        absl::StrCat("the evaluation is complete; ", StepName(step), " cannot be recorded again"));
  }
  if (state < needed) {
    return FailedPrecondition(
        "EVALUATION_STEP_OUT_OF_ORDER",
        absl::StrCat(
            StepName(step), " comes after ",
            state == v1::AWAITING_SELF_ASSESSMENT ? "the self-assessment" : "the residents' rating",
            ", which is not recorded yet (the evaluation is ", v1::EvaluationState_Name(state),
            ")"));
  }
  return FailedPrecondition("EVALUATION_STEP_DONE",
                            absl::StrCat(StepName(step), " is recorded already (the evaluation is ",
                                         v1::EvaluationState_Name(state), ")"));
}

v1::EvaluationState StateAfter(EvaluationStep step) {
  switch (step) {
    case EvaluationStep::kSelfAssessment:
      return v1::AWAITING_RESIDENTS_RATING;
    case EvaluationStep::kResidentsRating:
      return v1::AWAITING_HIGHER_REVIEW;
    case EvaluationStep::kHigherReview:
      return v1::COMPLETED;
  }
  return v1::EVALUATION_STATE_UNSPECIFIED;
}

absl::Status ValidateScore(absl::string_view field, int32_t score) {
  if (score < 0 || score > 100) {
    return InvalidField(field, "SCORE_INVALID",
                        absl::StrCat("a score is from 0 to 100, not ", score));
  }
  return absl::OkStatus();
}

absl::Status ValidateResidentsRating(int32_t residents_asked, int32_t satisfied,
                                     int32_t basically_satisfied, int32_t dissatisfied) {
  if (satisfied < 0 || basically_satisfied < 0 || dissatisfied < 0) {
    return InvalidField("satisfied", "RATING_INVALID", "counts cannot be negative");
  }
  if (residents_asked <= 0 || residents_asked > 1'000'000) {
    return InvalidField("residents_asked", "RATING_INVALID",
                        "must be the number of residents asked, 1 to 1,000,000");
  }
  const int64_t answers = int64_t{satisfied} + int64_t{basically_satisfied} + int64_t{dissatisfied};
  if (answers == 0) {
    return InvalidField("satisfied", "RATING_WITHOUT_ANSWERS",
                        "a rating needs at least one resident's answer");
  }
  if (answers > residents_asked) {
    return InvalidField("residents_asked", "RATING_INVALID",
                        absl::StrCat(answers, " answers from ", residents_asked,
                                     " residents asked: more answers than residents"));
  }
  return absl::OkStatus();
}

int32_t SatisfactionRateBasisPoints(int32_t satisfied, int32_t basically_satisfied,
                                    int32_t dissatisfied) {
  const int64_t content = int64_t{satisfied} + int64_t{basically_satisfied};
  const int64_t answers = content + int64_t{dissatisfied};
  if (answers <= 0) return 0;
  return static_cast<int32_t>((content * 10000 * 2 + answers) / (answers * 2));
}

int32_t WeightedScoreHundredths(const v1::EvaluationRule& rule, int32_t self_score,
                                int32_t satisfaction_rate_basis_points, int32_t higher_score) {
  // Everything in hundredths of a point times percent: one division at the end.
  const int64_t sum = int64_t{self_score} * 100 * rule.self_weight_percent() +
                      int64_t{satisfaction_rate_basis_points} * rule.residents_weight_percent() +
                      int64_t{higher_score} * 100 * rule.higher_weight_percent();
  return static_cast<int32_t>((sum + 50) / 100);
}

v1::EvaluationGrade GradeFor(const v1::EvaluationRule& rule, int32_t weighted_score_hundredths) {
  if (weighted_score_hundredths >= rule.excellent_from() * 100) return v1::EXCELLENT;
  if (weighted_score_hundredths >= rule.good_from() * 100) return v1::GOOD;
  if (weighted_score_hundredths >= rule.pass_from() * 100) return v1::PASS;
  return v1::FAIL;
}

v1::EvaluationResult ResultOf(const v1::EvaluationRule& rule, int32_t self_score,
                              int32_t satisfaction_rate_basis_points, int32_t higher_score) {
  v1::EvaluationResult result;
  result.set_weighted_score_hundredths(
      WeightedScoreHundredths(rule, self_score, satisfaction_rate_basis_points, higher_score));
  result.set_grade(GradeFor(rule, result.weighted_score_hundredths()));
  *result.mutable_rule() = rule;
  return result;
}

}  // namespace grassroots::orgs
