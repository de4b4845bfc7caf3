#include "services/careers/pay_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::careers {
namespace {

// A complete table of the default policy: base + 100 yuan a grade.
v1::PayTable FullTable(int64_t base_fen) {
  v1::PayTable table;
  table.set_region_path("d01");
  table.set_year(2025);
  const v1::PayPolicy policy = DefaultPayPolicy();
  for (const v1::GradeRange& r : policy.ranges()) {
    for (int g = r.lowest(); g <= r.highest(); ++g) {
      v1::PayCell* cell = table.add_cells();
      cell->set_post(r.post());
      cell->set_grade(g);
      cell->set_monthly_fen(base_fen + g * 10000);
    }
  }
  return table;
}

TEST(PayPolicy, TheProvincesRanges) {
  const v1::PayPolicy policy = DefaultPayPolicy();
  EXPECT_TRUE(ValidatePayPolicy(policy).ok());
  EXPECT_EQ(RangeOf(policy, v1::POST_PRINCIPAL)->lowest(), 7);
  EXPECT_EQ(RangeOf(policy, v1::POST_PRINCIPAL)->highest(), 18);
  EXPECT_EQ(RangeOf(policy, v1::POST_DEPUTY)->lowest(), 4);
  EXPECT_EQ(RangeOf(policy, v1::POST_COMMITTEE_MEMBER)->highest(), 12);
  EXPECT_TRUE(CheckGradeInRange(policy, v1::POST_DEPUTY, 15, "grade").ok());
  EXPECT_EQ(ErrorReason(CheckGradeInRange(policy, v1::POST_DEPUTY, 16, "grade")),
            "GRADE_OUTSIDE_POST_RANGE");
  EXPECT_EQ(ErrorReason(CheckGradeInRange(policy, v1::POST_PRINCIPAL, 6, "grade")),
            "GRADE_OUTSIDE_POST_RANGE");
}

TEST(PayPolicy, RangesMustFitTheGradeCountAndCoverEveryPost) {
  v1::PayPolicy policy = DefaultPayPolicy();
  policy.set_grade_count(15);  // principals reach 18
  EXPECT_EQ(ErrorReason(ValidatePayPolicy(policy)), "GRADE_RANGE_INVALID");
  policy = DefaultPayPolicy();
  policy.mutable_ranges()->RemoveLast();
  EXPECT_EQ(ErrorReason(ValidatePayPolicy(policy)), "GRADE_RANGE_POST");
  policy = DefaultPayPolicy();
  policy.set_grade_count(24);
  policy.set_step_years(2);
  EXPECT_TRUE(ValidatePayPolicy(policy).ok());
}

TEST(PayTable, RefusedBelowLastYearsAverageWage) {
  const v1::PayTable table = FullTable(600000);  // lowest cell 6,100 yuan
  EXPECT_TRUE(ValidatePayTable(table, DefaultPayPolicy(), 610000).ok());
  absl::Status below = ValidatePayTable(table, DefaultPayPolicy(), 610001);
  EXPECT_EQ(below.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(below), "PAY_BELOW_AVERAGE_WAGE");
  EXPECT_NE(below.message().find("grade 1"), std::string::npos) << below.message();
}

TEST(PayTable, EveryCellOnceAndInsideItsPostsRange) {
  v1::PayTable table = FullTable(600000);
  table.mutable_cells()->RemoveLast();
  EXPECT_EQ(ErrorReason(ValidatePayTable(table, DefaultPayPolicy(), 0)), "PAY_TABLE_INCOMPLETE");
  table = FullTable(600000);
  *table.add_cells() = table.cells(0);
  EXPECT_EQ(ErrorReason(ValidatePayTable(table, DefaultPayPolicy(), 0)), "PAY_CELL_REPEATED");
  table = FullTable(600000);
  table.mutable_cells(0)->set_grade(1);  // principals start at 7
  EXPECT_EQ(ErrorReason(ValidatePayTable(table, DefaultPayPolicy(), 0)),
            "GRADE_OUTSIDE_POST_RANGE");
}

TEST(Pay, ACellOfTheTable) {
  const v1::PayTable table = FullTable(600000);
  EXPECT_EQ(PayFor(table, v1::POST_DEPUTY, 5), 650000);
  EXPECT_FALSE(PayFor(table, v1::POST_DEPUTY, 16).has_value());
}

TEST(GradeSteps, EveryStepYearsWithDegreesCounted) {
  const absl::CivilDay hire(2015, 9, 1);
  EXPECT_EQ(ServiceYears(hire, absl::CivilDay(2024, 8, 31), 0), 8);
  EXPECT_EQ(ServiceYears(hire, absl::CivilDay(2024, 9, 1), 0), 9);
  EXPECT_EQ(ServiceYears(hire, absl::CivilDay(2024, 9, 1), 2), 11);  // a bachelor's degree
  v1::GradeRange deputy;
  deputy.set_lowest(4);
  deputy.set_highest(15);
  EXPECT_EQ(EligibleGrade(deputy, 2, 3), 4);
  EXPECT_EQ(EligibleGrade(deputy, 11, 3), 7);
  EXPECT_EQ(EligibleGrade(deputy, 60, 3), 15);  // capped at the post's highest
  EXPECT_EQ(EligibleGrade(deputy, 11, 2), 9);
}

TEST(SalaryRevision, KeepsReasonAndDate) {
  v1::SalaryRevision r;
  r.set_worker_id("wk_1");
  r.set_monthly_fen(650000);
  r.set_reason("grade step after assessment");
  r.set_effective_date("2025-01-01");
  EXPECT_TRUE(ValidateSalaryRevision(r).ok());
  r.set_reason("");
  EXPECT_EQ(ErrorField(ValidateSalaryRevision(r)), "revision.reason");
  r.set_reason("x");
  r.set_effective_date("2025-13-01");
  EXPECT_EQ(ErrorField(ValidateSalaryRevision(r)), "revision.effective_date");
}

}  // namespace
}  // namespace grassroots::careers
