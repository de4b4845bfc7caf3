#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "services/dualreg/evaluation_rules.h"

namespace grassroots::dualreg {
namespace {

std::string Reason(const absl::Status& s) { return ErrorReason(s).value_or(s.ToString()); }

v1::MemberEvaluation Evaluation(int year, v1::MemberEvaluationGrade grade,
                                const std::string& comment = "") {
  v1::MemberEvaluation e;
  e.set_registration_id("mr_1");
  e.set_year(year);
  e.set_grade(grade);
  e.set_comment(comment);
  return e;
}

TEST(EvaluationRules, AYearUpToThisOne) {
  EXPECT_TRUE(ValidateEvaluation(Evaluation(2026, v1::EVALUATION_EXCELLENT), 2026).ok());
  EXPECT_TRUE(ValidateEvaluation(Evaluation(2000, v1::EVALUATION_COMPETENT), 2026).ok());
  EXPECT_EQ(Reason(ValidateEvaluation(Evaluation(2027, v1::EVALUATION_EXCELLENT), 2026)),
            "YEAR_INVALID");
  EXPECT_EQ(Reason(ValidateEvaluation(Evaluation(1999, v1::EVALUATION_EXCELLENT), 2026)),
            "YEAR_INVALID");
  EXPECT_EQ(Reason(ValidateEvaluationYear("year", 0, 2026)), "YEAR_INVALID");
}

TEST(EvaluationRules, AGradeAndAReasonForFailing) {
  EXPECT_EQ(
      Reason(ValidateEvaluation(Evaluation(2026, v1::MEMBER_EVALUATION_GRADE_UNSPECIFIED), 2026)),
      "GRADE_REQUIRED");
  EXPECT_EQ(
      Reason(ValidateEvaluation(Evaluation(2026, static_cast<v1::MemberEvaluationGrade>(9)), 2026)),
      "GRADE_REQUIRED");
  EXPECT_EQ(Reason(ValidateEvaluation(Evaluation(2026, v1::EVALUATION_INCOMPETENT), 2026)),
            "REASON_REQUIRED");
  EXPECT_TRUE(
      ValidateEvaluation(Evaluation(2026, v1::EVALUATION_INCOMPETENT, "missed every order"), 2026)
          .ok());
  EXPECT_EQ(Reason(ValidateEvaluation(
                Evaluation(2026, v1::EVALUATION_COMPETENT, std::string(501, 'x')), 2026)),
            "COMMENT_TOO_LONG");
  v1::MemberEvaluation nobody = Evaluation(2026, v1::EVALUATION_COMPETENT);
  nobody.clear_registration_id();
  EXPECT_EQ(Reason(ValidateEvaluation(nobody, 2026)), "ID_REQUIRED");
}

}  // namespace
}  // namespace grassroots::dualreg
