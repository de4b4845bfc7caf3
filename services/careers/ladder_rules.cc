#include "services/careers/ladder_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::careers {

LadderStepNeeds NeedsFor(v1::Rung to) {
  switch (to) {
    case v1::RUNG_COMMITTEE_MEMBER:
      return {2, 1, v1::ASSESSMENT_COMPETENT};
    case v1::RUNG_CIVIL_SERVICE:
      return {3, 2, v1::ASSESSMENT_COMPETENT};
    default:
      return {3, 2, v1::ASSESSMENT_EXCELLENT};
  }
}

absl::Status CheckLadderStep(v1::Rung from, v1::Rung to, v1::WorkerStatus status, int years_on_rung,
                             const std::vector<v1::AssessmentResult>& latest_results) {
  if (static_cast<int>(to) != static_cast<int>(from) + 1 || to > v1::RUNG_STREET_LEADERSHIP) {
    return FailedPrecondition("LADDER_NOT_NEXT_RUNG",
                              absl::StrCat("the next rung from ", v1::Rung_Name(from), " is ",
                                           from >= v1::RUNG_STREET_LEADERSHIP
                                               ? std::string("none (the top)")
                                               : v1::Rung_Name(static_cast<v1::Rung>(from + 1))));
  }
  if (status != v1::WORKER_ACTIVE) {
    return FailedPrecondition("LADDER_WORKER_NOT_ACTIVE", "only an active worker steps up");
  }
  const LadderStepNeeds needs = NeedsFor(to);
  if (years_on_rung < needs.years_on_rung) {
    return FailedPrecondition(
        "LADDER_YEARS_ON_RUNG",
        absl::StrCat(v1::Rung_Name(to), " needs ", needs.years_on_rung,
                     " years on the current rung; the worker has ", years_on_rung));
  }
  if (static_cast<int>(latest_results.size()) < needs.assessments) {
    return FailedPrecondition(
        "LADDER_ASSESSMENTS_MISSING",
        absl::StrCat(v1::Rung_Name(to), " needs the last ", needs.assessments,
                     " annual assessments; the worker has ", latest_results.size()));
  }
  for (int i = 0; i < needs.assessments; ++i) {
    if (latest_results[i] < needs.at_least) {
      return FailedPrecondition(
          "LADDER_ASSESSMENT_BELOW",
          absl::StrCat(v1::Rung_Name(to), " needs each of the last ", needs.assessments,
                       " assessments at least ", v1::AssessmentResult_Name(needs.at_least),
                       "; one is ", v1::AssessmentResult_Name(latest_results[i])));
    }
  }
  return absl::OkStatus();
}

}  // namespace grassroots::careers
