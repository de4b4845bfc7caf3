#pragma once

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "grassroots/careers/v1/pay.pb.h"

namespace grassroots::careers {

// 四岗十八级: grade ranges, grade steps, pay tables and a worker's pay. Pure, no I/O.

// 18 grades, 3-year steps; principals 7-18, deputies 4-15, the others 1-12.
v1::PayPolicy DefaultPayPolicy();
// One range per post, each within 1..grade_count, lowest <= highest.
absl::Status ValidatePayPolicy(const v1::PayPolicy& policy);
std::optional<v1::GradeRange> RangeOf(const v1::PayPolicy& policy, v1::Post post);
// INVALID_ARGUMENT on `field` (GRADE_OUTSIDE_POST_RANGE) unless the grade lies in the post's range.
absl::Status CheckGradeInRange(const v1::PayPolicy& policy, v1::Post post, int grade,
                               absl::string_view field);

absl::Status ValidateAverageWage(const v1::AverageWage& wage);
// Cells: every grade of every post's range exactly once, amounts above 0
// (INVALID_ARGUMENT); then FAILED_PRECONDITION (PAY_BELOW_AVERAGE_WAGE)
// naming the first cell below `floor_fen`, the last year's average wage.
absl::Status ValidatePayTable(const v1::PayTable& table, const v1::PayPolicy& policy,
                              int64_t floor_fen);
// The table's amount for post and grade; nullopt when it has no such cell.
std::optional<int64_t> PayFor(const v1::PayTable& table, v1::Post post, int grade);

// INVALID_ARGUMENT (YEAR_INVALID) naming `field` outside 2000 to 2100.
absl::Status ValidateYear(absl::string_view field, int year);

// Whole years from `hire` to `on` plus the degree's years.
int ServiceYears(absl::CivilDay hire, absl::CivilDay on, int degree_years);
// One grade step per step_years from the post's lowest, capped at its highest.
int EligibleGrade(const v1::GradeRange& range, int service_years, int step_years);

absl::Status ValidateSalaryRevision(const v1::SalaryRevision& revision);

}  // namespace grassroots::careers
