#include "services/grid/whistle_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

std::string Reason(const absl::StatusOr<int>& s) { return ErrorReason(s.status()).value_or("OK"); }

TEST(WhistleRulesTest, DepartmentsMinutesAndNote) {
  v1::BlowWhistleRequest r;
  r.add_department_ids("dp_1");
  r.set_note("dumping again");
  EXPECT_EQ(*ValidateWhistle(r), 30);  // the default: half an hour
  r.set_report_in_minutes(5);
  EXPECT_EQ(*ValidateWhistle(r), 5);
  r.set_report_in_minutes(4);
  EXPECT_EQ(Reason(ValidateWhistle(r)), "REPORT_IN_OUT_OF_RANGE");
  r.set_report_in_minutes(1441);
  EXPECT_EQ(Reason(ValidateWhistle(r)), "REPORT_IN_OUT_OF_RANGE");
  r.set_report_in_minutes(1440);
  EXPECT_TRUE(ValidateWhistle(r).ok());
  r.add_department_ids("dp_1");
  EXPECT_EQ(Reason(ValidateWhistle(r)), "DEPARTMENT_REPEATED");
  r.clear_department_ids();
  EXPECT_EQ(Reason(ValidateWhistle(r)), "DEPARTMENTS_COUNT");
  for (int i = 0; i < 21; ++i) r.add_department_ids("dp_" + std::to_string(i));
  EXPECT_EQ(Reason(ValidateWhistle(r)), "DEPARTMENTS_COUNT");
  r.mutable_department_ids()->RemoveLast();
  EXPECT_TRUE(ValidateWhistle(r).ok());
  r.clear_note();
  EXPECT_EQ(Reason(ValidateWhistle(r)), "TEXT_REQUIRED");
}

TEST(WhistleRulesTest, LateIsAfterTheDeadline) {
  const absl::Time due = absl::FromUnixSeconds(1'800'000'000);
  EXPECT_FALSE(IsLateReport(due - absl::Seconds(1), due));
  EXPECT_FALSE(IsLateReport(due, due));
  EXPECT_TRUE(IsLateReport(due + absl::Microseconds(1), due));
}

}  // namespace
}  // namespace grassroots::grid
