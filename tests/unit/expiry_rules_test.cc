#include "services/volunteer/expiry_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::volunteer {
namespace {

const absl::Time kNoon = absl::FromUnixSeconds(1'796'212'800);  // 2026-12-02 12:00 UTC

TEST(ExpiryRulesTest, ThePeriodIsOneToTenYears) {
  v1::ExpiryRule rule;
  rule.set_community_path("d01/s01/c01");
  rule.set_months(36);
  EXPECT_TRUE(ValidateExpiryRule(rule).ok());
  rule.set_months(0);
  EXPECT_EQ(ErrorField(ValidateExpiryRule(rule)).value_or(""), "rule.months");
  rule.set_months(121);
  EXPECT_EQ(ErrorReason(ValidateExpiryRule(rule)).value_or(""), "EXPIRY_MONTHS_INVALID");
}

TEST(ExpiryRulesTest, TheCutoffIsThePeriodBeforeTheDay) {
  EXPECT_EQ(ExpiryCutoff(absl::CivilDay(2026, 12, 2), 36), absl::CivilDay(2023, 12, 2));
  EXPECT_EQ(ExpiryCutoff(absl::CivilDay(2026, 3, 31), 1), absl::CivilDay(2026, 2, 28));
  EXPECT_EQ(ExpiryCutoff(absl::CivilDay(2028, 3, 31), 1), absl::CivilDay(2028, 2, 29));
  EXPECT_EQ(ExpiryCutoff(absl::CivilDay(2026, 1, 15), 13), absl::CivilDay(2024, 12, 15));
}

TEST(ExpiryRulesTest, NoDateAheadOfTomorrow) {
  EXPECT_TRUE(ParseAsOfDate("2026-12-03", kNoon).ok());
  auto ahead = ParseAsOfDate("2026-12-04", kNoon);
  EXPECT_EQ(ErrorReason(ahead.status()).value_or(""), "AS_OF_DATE_IN_FUTURE");
  EXPECT_NE(ahead.status().message().find("2026-12-03"), std::string::npos);
  EXPECT_EQ(ErrorField(ParseAsOfDate("12/03/2026", kNoon).status()).value_or(""), "as_of_date");
}

TEST(ExpiryRulesTest, OldestPointsAreSpentFirst) {
  // 10 earned long ago, 4 spent since: 6 of the old points remain to expire.
  EXPECT_EQ(ExpiringPoints(10, 4), 6);
  // Spending more than the old points leaves none of them.
  EXPECT_EQ(ExpiringPoints(10, 12), 0);
  // After expiring 6 (a debit too), a second run for that cutoff finds none.
  EXPECT_EQ(ExpiringPoints(10, 4 + 6), 0);
  EXPECT_EQ(ExpiryTransferId("vl_1", absl::CivilDay(2023, 12, 2)), "expiry/vl_1/2023-12-02");
}

}  // namespace
}  // namespace grassroots::volunteer
