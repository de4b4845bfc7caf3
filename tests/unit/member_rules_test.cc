#include "services/orgs/member_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST(MemberRulesTest, PhonesAreNormalisedForExactMatch) {
  EXPECT_EQ(*NormalisePhone("phone", "138 1234-5678"), "13812345678");
  EXPECT_EQ(*NormalisePhone("phone", "+86 138 1234 5678"), "+8613812345678");
  EXPECT_EQ(Reason(NormalisePhone("phone", "1234").status()), "PHONE_INVALID");
  EXPECT_EQ(Reason(NormalisePhone("phone", "138x1234").status()), "PHONE_INVALID");
  EXPECT_EQ(Reason(NormalisePhone("phone", "12+345678").status()), "PHONE_INVALID");
}

TEST(MemberRulesTest, IdNumbersCarryTheirCheckCharacter) {
  // 11010519491231002X is the standard's own example.
  EXPECT_EQ(*NormaliseIdNumber("id", "11010519491231002x"), "11010519491231002X");
  EXPECT_EQ(*NormaliseIdNumber("id", "110101199003071233"), "110101199003071233");
  EXPECT_EQ(Reason(NormaliseIdNumber("id", "110101199003071234").status()),
            "ID_NUMBER_CHECK_FAILED");
  EXPECT_EQ(Reason(NormaliseIdNumber("id", "1101011990030712").status()), "ID_NUMBER_INVALID");
  EXPECT_EQ(Reason(NormaliseIdNumber("id", "1101A1199003071233").status()), "ID_NUMBER_INVALID");
}

TEST(MemberRulesTest, DatesAndMembership) {
  const absl::CivilDay today(2026, 11, 23);
  EXPECT_EQ(*ParseDate("d", "2024-02-29"), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(Reason(ParseDate("d", "2023-02-29").status()), "DATE_INVALID");
  EXPECT_EQ(Reason(ParseDate("d", "2024-2-1").status()), "DATE_INVALID");
  const absl::CivilDay joined(2025, 7, 1), end(2026, 7, 1);
  EXPECT_TRUE(ValidateMembership(v1::FULL, joined, nullptr, today).ok());
  EXPECT_EQ(Reason(ValidateMembership(v1::FULL, joined, &end, today)), "PROBATION_END_NOT_ALLOWED");
  EXPECT_TRUE(ValidateMembership(v1::PROBATIONARY, joined, &end, today).ok());
  EXPECT_EQ(Reason(ValidateMembership(v1::PROBATIONARY, joined, nullptr, today)),
            "PROBATION_END_REQUIRED");
  EXPECT_EQ(Reason(ValidateMembership(v1::PROBATIONARY, end, &joined, today)),
            "PROBATION_END_INVALID");
  EXPECT_EQ(Reason(ValidateMembership(v1::FULL, absl::CivilDay(2027, 1, 1), nullptr, today)),
            "JOIN_DATE_IN_FUTURE");
  EXPECT_EQ(Reason(ValidateMembership(v1::MEMBER_STATUS_UNSPECIFIED, joined, nullptr, today)),
            "STATUS_INVALID");
}

TEST(MemberRulesTest, ConversionAfterProbation) {
  const absl::CivilDay today(2026, 11, 23), end(2026, 7, 1);
  EXPECT_TRUE(ValidateConversion(v1::PROBATIONARY, end, end, today).ok());
  EXPECT_EQ(Reason(ValidateConversion(v1::PROBATIONARY, end, end - 1, today)),
            "PROBATION_NOT_OVER");
  EXPECT_EQ(Reason(ValidateConversion(v1::PROBATIONARY, end, today + 1, today)),
            "CONVERSION_IN_FUTURE");
  EXPECT_EQ(Reason(ValidateConversion(v1::FULL, end, today, today)), "NOT_PROBATIONARY");
}

}  // namespace
}  // namespace grassroots::orgs
