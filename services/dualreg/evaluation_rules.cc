#include "services/dualreg/evaluation_rules.h"

#include "absl/strings/str_cat.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"

namespace grassroots::dualreg {

absl::Status ValidateEvaluationYear(const char* field, int year, int this_year) {
  if (year < 2000 || year > this_year) {
    return InvalidField(field, "YEAR_INVALID",
                        absl::StrCat("a year from 2000 to ", this_year, " (this year)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateEvaluation(const v1::MemberEvaluation& evaluation, int this_year) {
  if (auto s = RequireId("evaluation.registration_id", evaluation.registration_id()); !s.ok()) {
    return s;
  }
  if (auto s = ValidateEvaluationYear("evaluation.year", evaluation.year(), this_year); !s.ok()) {
    return s;
  }
  if (!v1::MemberEvaluationGrade_IsValid(evaluation.grade()) ||
      evaluation.grade() == v1::MEMBER_EVALUATION_GRADE_UNSPECIFIED) {
    return InvalidField("evaluation.grade", "GRADE_REQUIRED",
                        "a grade: excellent, competent, basically competent or incompetent");
  }
  if (evaluation.comment().size() > 500) {
    return InvalidField("evaluation.comment", "COMMENT_TOO_LONG", "a comment is at most 500 bytes");
  }
  if (evaluation.grade() == v1::EVALUATION_INCOMPETENT && evaluation.comment().empty()) {
    return InvalidField("evaluation.comment", "REASON_REQUIRED",
                        "an incompetent grade needs a comment giving the reason");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::dualreg
