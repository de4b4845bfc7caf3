// Party dues brackets and arrears.
#include "services/orgs/dues_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

int64_t Dues(v1::DuesCategory category, int64_t yuan) {
  return *MonthlyDues(StandardDuesTable(), category, yuan * 100);
}

TEST(DuesRulesTest, TheBracketRateAppliesToTheWholeIncome) {
  EXPECT_EQ(Dues(v1::EMPLOYED, 3000), 1500);  // 0.5%: 15 yuan
  EXPECT_EQ(Dues(v1::EMPLOYED, 3001), 3001);  // 1% of all of it, not of the excess
  EXPECT_EQ(Dues(v1::EMPLOYED, 5000), 5000);
  EXPECT_EQ(Dues(v1::EMPLOYED, 8000), 12000);  // 1.5%: 120 yuan
  EXPECT_EQ(Dues(v1::EMPLOYED, 10000), 15000);
  EXPECT_EQ(Dues(v1::EMPLOYED, 12000), 24000);  // 2%
  EXPECT_EQ(Dues(v1::RETIRED, 5000), 2500);
  EXPECT_EQ(Dues(v1::RETIRED, 6000), 6000);
  EXPECT_EQ(Dues(v1::STUDENT_OR_LOW_INCOME, 900), 20);  // 0.2 yuan
  EXPECT_EQ(Dues(v1::EMPLOYED, 0), 0);
}

TEST(DuesRulesTest, RoundsHalfUpToTheFen) {
  // 2,345.67 yuan at 0.5% is 11.72835 yuan.
  EXPECT_EQ(*MonthlyDues(StandardDuesTable(), v1::EMPLOYED, 234567), 1173);
  EXPECT_EQ(*MonthlyDues(StandardDuesTable(), v1::EMPLOYED, 100), 1);  // 0.5 fen up
  EXPECT_EQ(*MonthlyDues(StandardDuesTable(), v1::EMPLOYED, 99), 0);
}

TEST(DuesRulesTest, RefusesNonsense) {
  EXPECT_FALSE(MonthlyDues(StandardDuesTable(), v1::EMPLOYED, -1).ok());
  EXPECT_FALSE(MonthlyDues(StandardDuesTable(), v1::EMPLOYED, 1'000'000'001).ok());
  EXPECT_FALSE(MonthlyDues(StandardDuesTable(), v1::DUES_CATEGORY_UNSPECIFIED, 100).ok());
}

TEST(DuesRulesTest, PaidUpToIsTheUnbrokenRunAndGapsCountAsUnpaid) {
  const absl::CivilMonth first(2026, 1), now(2026, 6);
  using M = absl::CivilMonth;
  auto at = [&](std::vector<M> paid) { return PositionOf(first, std::move(paid), now); };
  EXPECT_FALSE(at({}).paid_up_to.has_value());
  EXPECT_EQ(at({}).unpaid_months, 6);
  EXPECT_EQ(*at({M(2026, 1), M(2026, 2), M(2026, 3)}).paid_up_to, M(2026, 3));
  EXPECT_EQ(at({M(2026, 1), M(2026, 2), M(2026, 3)}).unpaid_months, 3);
  // A skipped month stops "paid up to" there and stays owed.
  auto gap = at({M(2026, 1), M(2026, 3), M(2026, 4), M(2026, 5), M(2026, 6)});
  EXPECT_EQ(*gap.paid_up_to, M(2026, 1));
  EXPECT_EQ(gap.unpaid_months, 1);
  // Paid ahead: nothing owed, and the run goes past this month.
  auto ahead =
      at({M(2026, 1), M(2026, 2), M(2026, 3), M(2026, 4), M(2026, 5), M(2026, 6), M(2026, 7)});
  EXPECT_EQ(*ahead.paid_up_to, M(2026, 7));
  EXPECT_EQ(ahead.unpaid_months, 0);
  // Months before any fell due, and repeats, change nothing.
  EXPECT_EQ(at({M(2025, 11), M(2026, 1), M(2026, 1)}).unpaid_months, 5);
  EXPECT_EQ(PositionOf(M(2026, 7), {}, now).unpaid_months, 0);  // not due yet
  EXPECT_EQ(StandingFor(2), v1::IN_GOOD_STANDING);
  EXPECT_EQ(StandingFor(3), v1::ALERT);
  EXPECT_EQ(StandingFor(5), v1::ALERT);
  EXPECT_EQ(StandingFor(6), v1::HANDLING_REQUIRED);
}

TEST(DuesRulesTest, AYearsTableMustBeWhole) {
  EXPECT_TRUE(ValidateDuesTable(StandardDuesTable()).ok());
  DuesTable table = StandardDuesTable();
  table.employed.clear();
  EXPECT_EQ(ErrorReason(ValidateDuesTable(table)), "DUES_BRACKETS_REQUIRED");
  table = StandardDuesTable();
  std::swap(table.employed[0], table.employed[1]);
  EXPECT_EQ(ErrorReason(ValidateDuesTable(table)), "DUES_BRACKETS_NOT_ASCENDING");
  table = StandardDuesTable();
  table.retired.back().up_to_fen = 1000000;
  EXPECT_EQ(ErrorReason(ValidateDuesTable(table)), "DUES_TOP_BRACKET_BOUNDED");
  table = StandardDuesTable();
  table.retired[0].basis_points = 10001;
  EXPECT_EQ(ErrorReason(ValidateDuesTable(table)), "DUES_RATE_INVALID");
  table = StandardDuesTable();
  table.flat_fen = -1;
  EXPECT_EQ(ErrorField(ValidateDuesTable(table)), "table.flat_fen");
}

}  // namespace
}  // namespace grassroots::orgs
