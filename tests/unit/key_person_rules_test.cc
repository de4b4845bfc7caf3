#include "services/grid/key_person_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

v1::KeyPerson Person() {
  v1::KeyPerson k;
  k.set_grid_id("gd1");
  k.set_category(v1::ELDERLY_LIVING_ALONE);
  k.set_name("刘桂英");
  k.set_phone("136 0000 1234");
  k.set_reason("lives alone");
  k.set_visit_interval_days(7);
  return k;
}

TEST(KeyPersonRulesTest, ACategoryANameAReasonAndAnInterval) {
  auto k = NormaliseKeyPerson(Person());
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_EQ(k->phone(), "13600001234");
  v1::KeyPerson p = Person();
  p.set_category(v1::KEY_PERSON_CATEGORY_UNSPECIFIED);
  EXPECT_EQ(Reason(NormaliseKeyPerson(p).status()), "KEY_PERSON_CATEGORY_REQUIRED");
  p = Person();
  p.set_category(static_cast<v1::KeyPersonCategory>(42));
  EXPECT_EQ(Reason(NormaliseKeyPerson(p).status()), "KEY_PERSON_CATEGORY_REQUIRED");
  p = Person();
  p.clear_name();
  EXPECT_EQ(Reason(NormaliseKeyPerson(p).status()), "NAME_REQUIRED");
  p = Person();
  p.clear_reason();
  EXPECT_EQ(Reason(NormaliseKeyPerson(p).status()), "KEY_REASON_REQUIRED");
  p = Person();
  p.set_id_number("110101194501010016");
  EXPECT_EQ(Reason(NormaliseKeyPerson(p).status()), "ID_NUMBER_CHECK_FAILED");
  EXPECT_EQ(ErrorField(NormaliseKeyPerson(p).status()).value_or(""), "key_person.id_number");
}

TEST(KeyPersonRulesTest, FollowUpAtAndEitherSideOfItsLimits) {
  EXPECT_TRUE(ValidateFollowUp("", "r", 1).ok());
  EXPECT_TRUE(ValidateFollowUp("", "r", 365).ok());
  EXPECT_EQ(Reason(ValidateFollowUp("", "r", 0)), "VISIT_INTERVAL_INVALID");
  EXPECT_EQ(Reason(ValidateFollowUp("", "r", 366)), "VISIT_INTERVAL_INVALID");
  EXPECT_TRUE(ValidateFollowUp("", std::string(500, 'r'), 7).ok());
  EXPECT_EQ(Reason(ValidateFollowUp("", std::string(501, 'r'), 7)), "TEXT_TOO_LONG");
  EXPECT_EQ(ErrorField(ValidateFollowUp("key_person.", "", 7)).value_or(""), "key_person.reason");
}

}  // namespace
}  // namespace grassroots::grid
