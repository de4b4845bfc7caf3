#pragma once

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grassroots/careers/v1/assessment.pb.h"

namespace grassroots::careers {

// The annual assessment's formula. Pure, no I/O. AssessmentService
// records the results (with case performance from grid); the ladder and
// the proposals read them.

// Percent weights of the four parts, per region; they sum to 100.
struct AssessmentWeights {
  int self_review = 20;
  int field_visit = 20;
  int survey = 30;
  int case_performance = 30;
};
// INVALID_ARGUMENT (WEIGHTS_INVALID) unless each is 0-100 and they sum to 100.
absl::Status ValidateWeights(const AssessmentWeights& weights);

// A worker's cases in the year, as grid counts them.
struct CasePerformance {
  int handled = 0;
  int on_time = 0;
  int evaluated = 0;         // cases the reporter rated
  int satisfaction_sum = 0;  // of their ratings, 1 (worst) to 5 each
};
// 0-100: 60 for the on-time rate and 40 for the mean rating; nullopt when
// the worker handled no case (the part is then left out, below).
std::optional<double> CaseScore(const CasePerformance& cases);

struct AssessmentScores {
  int self_review = 0;  // 0-100 each
  int field_visit = 0;
  int survey = 0;  // household survey satisfaction
  CasePerformance cases;
};

struct Assessed {
  int score_tenths = 0;  // the weighted score × 10, rounded
  v1::AssessmentResult result = v1::ASSESSMENT_RESULT_UNSPECIFIED;
};
// The weighted score: without cases handled, the case weight is shared by
// the other parts in proportion to theirs. INVALID_ARGUMENT naming a score
// outside 0-100 or inconsistent case counts.
absl::StatusOr<Assessed> Assess(const AssessmentWeights& weights, const AssessmentScores& scores);
// 90 and above excellent, 75 competent, 60 basically competent, below incompetent.
v1::AssessmentResult ResultFor(int score_tenths);

// What a result proposes for next year.
struct Proposals {
  bool grade_step = false;  // one grade now, ahead of the schedule
  bool pay_rise = false;    // a salary revision
  bool renew_contract = false;
  bool dismissal_review = false;  // incompetent two years running
};
Proposals ProposalsFor(v1::AssessmentResult result,
                       std::optional<v1::AssessmentResult> previous_year);

// The counts as recorded and answered, with their score (-1 without cases).
v1::CasePerformance CasePerformanceProto(const CasePerformance& cases);
// The weights a region keeps as the formula takes them.
AssessmentWeights WeightsOf(const v1::AssessmentWeights& weights);
// INVALID_ARGUMENT naming the field: the weights (WEIGHTS_INVALID) and the
// effective year (YEAR_INVALID, 2000 to 2100).
absl::Status ValidateWeightSet(const v1::AssessmentWeights& weights);

// A worker's assessment of `year` from the scores the street gives, the
// cases grid counted and the weights that apply, as it is recorded
// (worker, community, actor and time are the caller's to fill). The
// errors of Assess.
absl::StatusOr<v1::Assessment> AssessWorker(const v1::AssessmentWeights& weights,
                                            const v1::WorkerScores& scores,
                                            const CasePerformance& cases, int year);

}  // namespace grassroots::careers
