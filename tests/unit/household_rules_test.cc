#include "services/grid/household_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "services/grid/grid_rules.h"
#include "services/grid/visit_rules.h"

namespace grassroots::grid {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

v1::Household Lived(int residents = 3) {
  v1::Household h;
  h.set_address("1203");
  h.set_head_name("张三丰");
  h.set_head_phone("138 1234-5678");
  h.set_head_id_number("11010519491231002x");
  h.set_resident_count(residents);
  return h;
}

TEST(HouseholdRulesTest, DwellingsAndResidentCounts) {
  EXPECT_TRUE(ValidateDwelling("a", "1203").ok());
  EXPECT_TRUE(ValidateDwelling("a", std::string(64, '1')).ok());
  EXPECT_EQ(Reason(ValidateDwelling("a", std::string(65, '1'))), "TEXT_TOO_LONG");
  EXPECT_EQ(Reason(ValidateDwelling("a", "")), "DWELLING_REQUIRED");
  EXPECT_TRUE(ValidateResidentCount("r", 0).ok());
  EXPECT_TRUE(ValidateResidentCount("r", 99).ok());
  EXPECT_EQ(Reason(ValidateResidentCount("r", 100)), "RESIDENT_COUNT_INVALID");
  EXPECT_EQ(Reason(ValidateResidentCount("r", -1)), "RESIDENT_COUNT_INVALID");
}

TEST(HouseholdRulesTest, PersonalDataIsNormalisedForItsKeyedHash) {
  auto h = NormaliseHousehold(Lived(), "household.");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->head_phone(), "13812345678");
  EXPECT_EQ(h->head_id_number(), "11010519491231002X");
  EXPECT_EQ(h->head_name(), "张三丰");
  v1::Household bad = Lived();
  bad.set_head_id_number("110101199003071234");
  EXPECT_EQ(Reason(NormaliseHousehold(bad, "household.").status()), "ID_NUMBER_CHECK_FAILED");
  EXPECT_EQ(ErrorField(NormaliseHousehold(bad, "household.").status()).value_or(""),
            "household.head_id_number");
  bad = Lived();
  bad.set_head_phone("call me");
  EXPECT_EQ(ErrorField(NormaliseHousehold(bad, "").status()).value_or(""), "head_phone");
  // Phone and ID number are optional; empty stays empty.
  v1::Household plain = Lived();
  plain.clear_head_phone();
  plain.clear_head_id_number();
  EXPECT_TRUE(NormaliseHousehold(plain, "").ok());
}

TEST(HouseholdRulesTest, SomebodyHeadsAHouseholdSomeoneLivesIn) {
  EXPECT_TRUE(ValidateHouseholdShape("", 1, true, false, "", 0).ok());
  EXPECT_EQ(Reason(ValidateHouseholdShape("", 1, false, false, "", 0)), "HEAD_REQUIRED");
  EXPECT_TRUE(ValidateHouseholdShape("", 0, false, false, "", 0).ok());
  EXPECT_TRUE(ValidateHouseholdShape("", 0, true, false, "", 0).ok());  // an absent owner
  v1::Household vacant = Lived(0);
  vacant.clear_head_name();
  EXPECT_TRUE(NormaliseHousehold(vacant, "").ok());
  v1::Household headless = Lived(2);
  headless.clear_head_name();
  EXPECT_EQ(Reason(NormaliseHousehold(headless, "").status()), "HEAD_REQUIRED");
}

TEST(HouseholdRulesTest, AKeyHouseholdSaysWhyAndHowOftenAndHasSomeoneToVisit) {
  EXPECT_TRUE(ValidateKeyHousehold("", true, "elderly living alone", 1, 1).ok());
  EXPECT_TRUE(ValidateKeyHousehold("", true, "elderly living alone", 365, 1).ok());
  EXPECT_EQ(Reason(ValidateKeyHousehold("", true, "elderly living alone", 0, 1)),
            "VISIT_INTERVAL_INVALID");
  EXPECT_EQ(Reason(ValidateKeyHousehold("", true, "elderly living alone", 366, 1)),
            "VISIT_INTERVAL_INVALID");
  EXPECT_EQ(Reason(ValidateKeyHousehold("", true, "", 7, 1)), "KEY_REASON_REQUIRED");
  EXPECT_TRUE(ValidateKeyHousehold("", true, std::string(500, 'r'), 7, 1).ok());
  EXPECT_EQ(Reason(ValidateKeyHousehold("", true, std::string(501, 'r'), 7, 1)), "TEXT_TOO_LONG");
  EXPECT_EQ(Reason(ValidateKeyHousehold("", true, "elderly", 7, 0)), "KEY_HOUSEHOLD_VACANT");
  EXPECT_TRUE(ValidateKeyHousehold("", false, "", 0, 0).ok());
  EXPECT_EQ(Reason(ValidateKeyHousehold("", false, "elderly", 0, 1)), "KEY_FIELDS_WITHOUT_FLAG");
  EXPECT_EQ(Reason(ValidateKeyHousehold("", false, "", 7, 1)), "KEY_FIELDS_WITHOUT_FLAG");
  EXPECT_EQ(ErrorField(ValidateKeyHousehold("household.", true, "x", 0, 1)).value_or(""),
            "household.visit_interval_days");
  EXPECT_TRUE(ValidateVisitInterval("v", kMinVisitIntervalDays).ok());
  EXPECT_TRUE(ValidateVisitInterval("v", kMaxVisitIntervalDays).ok());
}

TEST(HouseholdRulesTest, ALedgerLineIsAHousehold) {
  v1::HouseholdImportRecord r;
  r.set_grid_path("d/s/c/g");
  r.set_address("101");
  r.set_head_name("王芳");
  r.set_head_phone("13910000001");
  r.set_resident_count(2);
  r.set_key_household(true);
  r.set_key_reason("disabled resident");
  r.set_visit_interval_days(14);
  const v1::Household h = HouseholdFromRecord(r);
  EXPECT_EQ(h.address(), "101");
  EXPECT_EQ(h.head_phone(), "13910000001");
  EXPECT_TRUE(h.key_household());
  EXPECT_EQ(h.visit_interval_days(), 14);
  EXPECT_TRUE(NormaliseHousehold(h, "").ok());
}

TEST(GridRulesTest, PurposesAreRequiredText) {
  EXPECT_EQ(Reason(ValidatePurpose("")), "PURPOSE_REQUIRED");
  EXPECT_TRUE(ValidatePurpose(std::string(500, 'p')).ok());
  EXPECT_EQ(Reason(ValidatePurpose(std::string(501, 'p'))), "PURPOSE_INVALID");
}

}  // namespace
}  // namespace grassroots::grid
