// Resident units: kinds, sizes, places, who leads regional party building,
// and which units take part in a place's work.
#include "services/orgs/resident_unit_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST(ResidentUnitRulesTest, KindsMustBeNamed) {
  EXPECT_TRUE(ValidateUnitKind("unit.kind", v1::ResidentUnit::HOSPITAL).ok());
  EXPECT_TRUE(ValidateUnitKind("unit.kind", v1::ResidentUnit::OTHER_UNIT).ok());
  EXPECT_EQ(Reason(ValidateUnitKind("unit.kind", v1::ResidentUnit::KIND_UNSPECIFIED)),
            "UNIT_KIND_INVALID");
  EXPECT_EQ(Reason(ValidateUnitKind("unit.kind", static_cast<v1::ResidentUnit::Kind>(99))),
            "UNIT_KIND_INVALID");
  EXPECT_EQ(ErrorField(ValidateUnitKind("unit.kind", v1::ResidentUnit::KIND_UNSPECIFIED)),
            "unit.kind");
}

TEST(ResidentUnitRulesTest, EmployeeCountsFromNoneToAMillion) {
  EXPECT_TRUE(ValidateEmployeeCount("e", 0).ok());
  EXPECT_TRUE(ValidateEmployeeCount("e", 1'000'000).ok());
  EXPECT_EQ(Reason(ValidateEmployeeCount("e", -1)), "EMPLOYEE_COUNT_INVALID");
  EXPECT_EQ(Reason(ValidateEmployeeCount("e", 1'000'001)), "EMPLOYEE_COUNT_INVALID");
}

TEST(ResidentUnitRulesTest, UnitsRegisterWithStreetsTownsAndCommunities) {
  EXPECT_TRUE(ValidateUnitPlaceKind("a", v1::STREET).ok());
  EXPECT_TRUE(ValidateUnitPlaceKind("a", v1::TOWN).ok());
  EXPECT_TRUE(ValidateUnitPlaceKind("a", v1::COMMUNITY).ok());
  const absl::Status district = ValidateUnitPlaceKind("a", v1::DISTRICT);
  EXPECT_EQ(Reason(district), "UNIT_PLACE_INVALID");
  EXPECT_NE(district.message().find("DISTRICT"), std::string::npos) << district;
}

TEST(ResidentUnitRulesTest, StreetAndCommunityOrganisationsLead) {
  EXPECT_TRUE(ValidateRegionalLead("o", v1::STREET_WORKING_COMMITTEE).ok());
  EXPECT_TRUE(ValidateRegionalLead("o", v1::COMMUNITY_COMMITTEE).ok());
  EXPECT_TRUE(ValidateRegionalLead("o", v1::COMMUNITY_GENERAL_BRANCH).ok());
  for (auto kind : {v1::DISTRICT_COMMITTEE, v1::GRID_BRANCH, v1::BUILDING_GROUP,
                    v1::COMPOUND_BRANCH, v1::JOINT_BRANCH, v1::TWO_NEW_ORGANISATION,
                    v1::TEMPORARY_BRANCH, v1::FLOATING_MEMBER_BRANCH}) {
    EXPECT_EQ(Reason(ValidateRegionalLead("o", kind)), "NOT_A_REGIONAL_LEAD")
        << v1::OrganisationKind_Name(kind);
  }
}

TEST(ResidentUnitRulesTest, ActiveUnitsOfThePlaceSubtreeTakePart) {
  const auto active = v1::ResidentUnit::ACTIVE;
  EXPECT_TRUE(ValidateUnitTakesPart("u", active, "d1/s1", "d1/s1").ok());
  EXPECT_TRUE(ValidateUnitTakesPart("u", active, "d1/s1/c1", "d1/s1").ok());
  const absl::Status elsewhere = ValidateUnitTakesPart("u", active, "d1/s2/c1", "d1/s1");
  EXPECT_EQ(Reason(elsewhere), "UNIT_OUTSIDE_PLACE");
  EXPECT_NE(elsewhere.message().find("d1/s2/c1"), std::string::npos);
  // A street-level unit is not in one of the street's communities.
  EXPECT_EQ(Reason(ValidateUnitTakesPart("u", active, "d1/s1", "d1/s1/c1")), "UNIT_OUTSIDE_PLACE");
  // "d1/s10" is not below "d1/s1".
  EXPECT_EQ(Reason(ValidateUnitTakesPart("u", active, "d1/s10", "d1/s1")), "UNIT_OUTSIDE_PLACE");
  EXPECT_EQ(Reason(ValidateUnitTakesPart("u", v1::ResidentUnit::WITHDRAWN, "d1/s1", "d1/s1")),
            "UNIT_WITHDRAWN");
}

TEST(ResidentUnitRulesTest, FreeTextLimits) {
  EXPECT_TRUE(ValidateFreeText("t", "", 10, false).ok());
  EXPECT_EQ(Reason(ValidateFreeText("t", "", 10, true)), "TEXT_REQUIRED");
  EXPECT_TRUE(ValidateFreeText("t", std::string(10, 'a'), 10, true).ok());
  EXPECT_EQ(Reason(ValidateFreeText("t", std::string(11, 'a'), 10, true)), "TEXT_TOO_LONG");
  EXPECT_EQ(Reason(ValidateFreeText("t", "a\tb", 10, true)), "TEXT_INVALID");
  EXPECT_EQ(Reason(ValidateFreeText("t", "a\nb", 10, true)), "TEXT_INVALID");
  EXPECT_TRUE(ValidateFreeText("t", "a\r\nb\nc", 10, true, /*allow_newlines=*/true).ok());
  EXPECT_EQ(Reason(ValidateFreeText("t", "\xff", 10, true)), "TEXT_INVALID");
  EXPECT_TRUE(ValidateFreeText("t", "联席会议", 12, true).ok());
}

}  // namespace
}  // namespace grassroots::orgs
