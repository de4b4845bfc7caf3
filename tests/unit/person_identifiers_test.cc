#include "common/text/person_identifiers.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/time/civil_date.h"

namespace grassroots {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST(PersonIdentifiersTest, PhonesHaveFiveToTwentyDigits) {
  EXPECT_EQ(*NormalisePhone("p", "138 1234-5678"), "13812345678");
  EXPECT_EQ(*NormalisePhone("p", "+86 138 1234 5678"), "+8613812345678");
  EXPECT_EQ(*NormalisePhone("p", "12345"), "12345");
  EXPECT_EQ(Reason(NormalisePhone("p", "1234").status()), "PHONE_INVALID");
  EXPECT_EQ(*NormalisePhone("p", std::string(20, '9')), std::string(20, '9'));
  EXPECT_EQ(Reason(NormalisePhone("p", std::string(21, '9')).status()), "PHONE_INVALID");
  EXPECT_EQ(Reason(NormalisePhone("p", "").status()), "PHONE_INVALID");
  EXPECT_EQ(ErrorField(NormalisePhone("head_phone", "x").status()).value_or(""), "head_phone");
}

TEST(PersonIdentifiersTest, IdNumbersAreCheckedAgainstGb11643) {
  EXPECT_EQ(*NormaliseIdNumber("i", "11010519491231002x"), "11010519491231002X");
  EXPECT_EQ(Reason(NormaliseIdNumber("i", "110101199003071234").status()),
            "ID_NUMBER_CHECK_FAILED");
  EXPECT_EQ(Reason(NormaliseIdNumber("i", "11010119900307123").status()), "ID_NUMBER_INVALID");
  EXPECT_EQ(Reason(NormaliseIdNumber("i", "1101011990030712331").status()), "ID_NUMBER_INVALID");
}

TEST(PersonIdentifiersTest, DatesAreWrittenExactly) {
  EXPECT_EQ(*ParseDate("d", "2024-02-29"), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(Reason(ParseDate("d", "2023-02-29").status()), "DATE_INVALID");
  EXPECT_EQ(Reason(ParseDate("d", "2024-2-01").status()), "DATE_INVALID");
  EXPECT_EQ(DateText(absl::CivilDay(2026, 5, 1)), "2026-05-01");
}

}  // namespace
}  // namespace grassroots
