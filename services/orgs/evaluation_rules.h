#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grassroots/orgs/v1/evaluation.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"

namespace grassroots::orgs {

// The yearly evaluation of a community party organisation as rules: three
// steps in order (self-assessment, residents' rating, the higher
// organisation's review), then a weighted score and a grade. Pure rules, no
// I/O.
//
// Scores: the self-assessment and the review are 0-100; the residents'
// score is the satisfaction rate, (satisfied + basically satisfied) /
// answers, as a score out of 100. The weighted score is
//   (self x w_self + residents x w_residents + higher x w_higher) / 100
// in hundredths of a point, rounded half up; its grade is EXCELLENT from
// `excellent_from`, GOOD from `good_from`, PASS from `pass_from`, FAIL below.

// The defaults (orgs options --evaluation-*): self 20%, residents 40%,
// higher 40%; excellent >= 90, good >= 75, pass >= 60.
v1::EvaluationRule DefaultEvaluationRule();

// Weights 0-100 summing to 100; 0 < pass_from < good_from < excellent_from <= 100.
absl::Status ValidateEvaluationRule(const v1::EvaluationRule& rule);

// Only community committees and community general branches are evaluated.
bool IsEvaluatedKind(v1::OrganisationKind kind);

// A year from 2000 up to the current one (a year is evaluated during or
// after it, never before).
absl::Status ValidateEvaluationYear(int year, int current_year);

enum class EvaluationStep { kSelfAssessment, kResidentsRating, kHigherReview };

// The state an evaluation must be in for `step`; a step taken out of order
// or a second time is FAILED_PRECONDITION: EVALUATION_STEP_OUT_OF_ORDER
// (an earlier step is missing), EVALUATION_STEP_DONE (already recorded) or
// EVALUATION_COMPLETED.
absl::Status CheckStep(v1::EvaluationState state, EvaluationStep step);
// The state after `step`.
v1::EvaluationState StateAfter(EvaluationStep step);

// 0-100.
absl::Status ValidateScore(absl::string_view field, int32_t score);

// At least one answer, no negative count, answers not more than residents asked.
absl::Status ValidateResidentsRating(int32_t residents_asked, int32_t satisfied,
                                     int32_t basically_satisfied, int32_t dissatisfied);
// (satisfied + basically satisfied) / answers in basis points, rounded half up.
int32_t SatisfactionRateBasisPoints(int32_t satisfied, int32_t basically_satisfied,
                                    int32_t dissatisfied);

// In hundredths of a point, rounded half up.
int32_t WeightedScoreHundredths(const v1::EvaluationRule& rule, int32_t self_score,
                                int32_t satisfaction_rate_basis_points, int32_t higher_score);
v1::EvaluationGrade GradeFor(const v1::EvaluationRule& rule, int32_t weighted_score_hundredths);

// The result of a completed evaluation.
v1::EvaluationResult ResultOf(const v1::EvaluationRule& rule, int32_t self_score,
                              int32_t satisfaction_rate_basis_points, int32_t higher_score);

}  // namespace grassroots::orgs
