// Part-time seats on a big party committee: roles and terms.
#include "services/orgs/big_committee_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST(BigCommitteeRulesTest, RolesMustBeNamed) {
  EXPECT_TRUE(ValidateSeatRole("r", v1::BigCommitteeSeat::PART_TIME_MEMBER).ok());
  EXPECT_TRUE(ValidateSeatRole("r", v1::BigCommitteeSeat::PART_TIME_DEPUTY_SECRETARY).ok());
  EXPECT_EQ(Reason(ValidateSeatRole("r", v1::BigCommitteeSeat::ROLE_UNSPECIFIED)),
            "SEAT_ROLE_INVALID");
  EXPECT_EQ(Reason(ValidateSeatRole("r", static_cast<v1::BigCommitteeSeat::Role>(7))),
            "SEAT_ROLE_INVALID");
}

TEST(BigCommitteeRulesTest, ATermEndsAfterItStartsAndLastsAtMostFiveYears) {
  const absl::CivilDay start(2026, 3, 1);
  EXPECT_TRUE(ValidateSeatTerm(start, start + 1).ok());
  EXPECT_EQ(Reason(ValidateSeatTerm(start, start)), "SEAT_TERM_INVALID");
  EXPECT_EQ(Reason(ValidateSeatTerm(start, start - 1)), "SEAT_TERM_INVALID");
  // Five years to the day is the longest term; a day more is refused.
  EXPECT_TRUE(ValidateSeatTerm(start, absl::CivilDay(2031, 3, 1)).ok());
  EXPECT_TRUE(ValidateSeatTerm(start, absl::CivilDay(2031, 2, 28)).ok());
  const absl::Status longer = ValidateSeatTerm(start, absl::CivilDay(2031, 3, 2));
  EXPECT_EQ(Reason(longer), "SEAT_TERM_TOO_LONG");
  EXPECT_NE(longer.message().find("2031-03-01"), std::string::npos) << longer;
  // From 29 February, five years on is 1 March.
  EXPECT_TRUE(ValidateSeatTerm(absl::CivilDay(2028, 2, 29), absl::CivilDay(2033, 3, 1)).ok());
  EXPECT_EQ(Reason(ValidateSeatTerm(absl::CivilDay(2028, 2, 29), absl::CivilDay(2033, 3, 2))),
            "SEAT_TERM_TOO_LONG");
}

}  // namespace
}  // namespace grassroots::orgs
