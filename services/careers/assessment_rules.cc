#include "services/careers/assessment_rules.h"

#include <cmath>

#include "common/status/errors.h"
#include "services/careers/pay_rules.h"

namespace grassroots::careers {
namespace {

absl::Status CheckScore(const char* field, int score) {
  if (score < 0 || score > 100) return InvalidField(field, "SCORE_INVALID", "must be 0 to 100");
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateWeights(const AssessmentWeights& w) {
  for (int part : {w.self_review, w.field_visit, w.survey, w.case_performance}) {
    if (part < 0 || part > 100) {
      return InvalidField("weights", "WEIGHTS_INVALID", "each weight is 0 to 100 percent");
    }
  }
  if (w.self_review + w.field_visit + w.survey + w.case_performance != 100) {
    return InvalidField("weights", "WEIGHTS_INVALID", "the four weights sum to 100 percent");
  }
  return absl::OkStatus();
}

std::optional<double> CaseScore(const CasePerformance& c) {
  if (c.handled == 0) return std::nullopt;
  const double on_time = static_cast<double>(c.on_time) / c.handled;
  // Unrated cases count as neither good nor bad: the middle of the scale.
  const double rating =
      c.evaluated == 0 ? 0.5 : (static_cast<double>(c.satisfaction_sum) / c.evaluated - 1.0) / 4.0;
  return 60.0 * on_time + 40.0 * rating;
}

absl::StatusOr<Assessed> Assess(const AssessmentWeights& weights, const AssessmentScores& s) {
  if (auto v = ValidateWeights(weights); !v.ok()) return v;
  for (const absl::Status& v :
       {CheckScore("self_review_score", s.self_review),
        CheckScore("field_visit_score", s.field_visit), CheckScore("survey_score", s.survey)}) {
    if (!v.ok()) return v;
  }
  const CasePerformance& c = s.cases;
  if (c.handled < 0 || c.on_time < 0 || c.on_time > c.handled || c.evaluated < 0 ||
      c.evaluated > c.handled || c.satisfaction_sum < c.evaluated ||
      c.satisfaction_sum > 5 * c.evaluated) {
    return InvalidField("case_performance", "CASE_COUNTS_INVALID",
                        "on-time and rated cases are among those handled, ratings 1 to 5");
  }
  double weighted = weights.self_review * s.self_review + weights.field_visit * s.field_visit +
                    weights.survey * s.survey;
  int total = weights.self_review + weights.field_visit + weights.survey;
  if (auto cases = CaseScore(c)) {
    weighted += weights.case_performance * *cases;
    total += weights.case_performance;
  }
  Assessed assessed;
  // All weight on the case part and no case handled: nothing to weigh.
  assessed.score_tenths = total == 0 ? 0 : static_cast<int>(std::lround(10.0 * weighted / total));
  assessed.result = ResultFor(assessed.score_tenths);
  return assessed;
}

v1::AssessmentResult ResultFor(int score_tenths) {
  if (score_tenths >= 900) return v1::ASSESSMENT_EXCELLENT;
  if (score_tenths >= 750) return v1::ASSESSMENT_COMPETENT;
  if (score_tenths >= 600) return v1::ASSESSMENT_BASICALLY_COMPETENT;
  return v1::ASSESSMENT_INCOMPETENT;
}

Proposals ProposalsFor(v1::AssessmentResult result,
                       std::optional<v1::AssessmentResult> previous_year) {
  Proposals p;
  switch (result) {
    case v1::ASSESSMENT_EXCELLENT:
      p.grade_step = true;
      p.pay_rise = true;
      p.renew_contract = true;
      break;
    case v1::ASSESSMENT_COMPETENT:
    case v1::ASSESSMENT_BASICALLY_COMPETENT:
      p.renew_contract = true;
      break;
    default:
      p.dismissal_review = previous_year == v1::ASSESSMENT_INCOMPETENT;
      break;
  }
  return p;
}

v1::CasePerformance CasePerformanceProto(const CasePerformance& cases) {
  v1::CasePerformance p;
  p.set_handled(cases.handled);
  p.set_on_time(cases.on_time);
  p.set_evaluated(cases.evaluated);
  p.set_satisfaction_sum(cases.satisfaction_sum);
  p.set_score(CaseScore(cases).value_or(-1.0));
  return p;
}

AssessmentWeights WeightsOf(const v1::AssessmentWeights& w) {
  return {w.self_review(), w.field_visit(), w.survey(), w.case_performance()};
}

absl::Status ValidateWeightSet(const v1::AssessmentWeights& w) {
  if (auto s = ValidateYear("weights.effective_year", w.effective_year()); !s.ok()) return s;
  return ValidateWeights(WeightsOf(w));
}

absl::StatusOr<v1::Assessment> AssessWorker(const v1::AssessmentWeights& weights,
                                            const v1::WorkerScores& scores,
                                            const CasePerformance& cases, int year) {
  AssessmentScores s;
  s.self_review = scores.self_review_score();
  s.field_visit = scores.field_visit_score();
  s.survey = scores.survey_score();
  s.cases = cases;
  auto assessed = Assess(WeightsOf(weights), s);
  if (!assessed.ok()) return assessed.status();
  v1::Assessment a;
  a.set_worker_id(scores.worker_id());
  a.set_year(year);
  a.set_self_review_score(s.self_review);
  a.set_field_visit_score(s.field_visit);
  a.set_survey_score(s.survey);
  *a.mutable_case_performance() = CasePerformanceProto(cases);
  *a.mutable_weights() = weights;
  a.set_weighted_score_tenths(assessed->score_tenths);
  a.set_result(assessed->result);
  return a;
}

}  // namespace grassroots::careers
