// Where each kind of party organisation may stand.
#include "services/orgs/organisation_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

using namespace v1;

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST(OrganisationRulesTest, TheFourLevelChain) {
  EXPECT_TRUE(
      ValidateOrganisationPlacement(DISTRICT_COMMITTEE, ORGANISATION_KIND_UNSPECIFIED, DISTRICT)
          .ok());
  EXPECT_TRUE(
      ValidateOrganisationPlacement(STREET_WORKING_COMMITTEE, DISTRICT_COMMITTEE, STREET).ok());
  EXPECT_TRUE(
      ValidateOrganisationPlacement(STREET_WORKING_COMMITTEE, DISTRICT_COMMITTEE, TOWN).ok());
  EXPECT_TRUE(
      ValidateOrganisationPlacement(COMMUNITY_COMMITTEE, STREET_WORKING_COMMITTEE, COMMUNITY).ok());
  EXPECT_TRUE(
      ValidateOrganisationPlacement(COMMUNITY_GENERAL_BRANCH, STREET_WORKING_COMMITTEE, COMMUNITY)
          .ok());
  EXPECT_TRUE(ValidateOrganisationPlacement(GRID_BRANCH, COMMUNITY_COMMITTEE, COMMUNITY).ok());
  EXPECT_TRUE(ValidateOrganisationPlacement(GRID_BRANCH, COMMUNITY_GENERAL_BRANCH, COMMUNITY).ok());
  EXPECT_TRUE(ValidateOrganisationPlacement(BUILDING_GROUP, GRID_BRANCH, COMMUNITY).ok());
}

TEST(OrganisationRulesTest, BranchesBesideTheChain) {
  for (auto kind : {JOINT_BRANCH, FLOATING_MEMBER_BRANCH, TEMPORARY_BRANCH, TWO_NEW_ORGANISATION}) {
    EXPECT_TRUE(ValidateOrganisationPlacement(kind, STREET_WORKING_COMMITTEE, STREET).ok()) << kind;
    EXPECT_TRUE(ValidateOrganisationPlacement(kind, COMMUNITY_COMMITTEE, COMMUNITY).ok()) << kind;
    EXPECT_EQ(Reason(ValidateOrganisationPlacement(kind, GRID_BRANCH, COMMUNITY)),
              "PLACEMENT_INVALID");
    EXPECT_EQ(Reason(ValidateOrganisationPlacement(kind, DISTRICT_COMMITTEE, DISTRICT)),
              "PLACEMENT_INVALID");
  }
  EXPECT_TRUE(ValidateOrganisationPlacement(COMPOUND_BRANCH, COMMUNITY_COMMITTEE, COMMUNITY).ok());
}

TEST(OrganisationRulesTest, RefusalsNameTheKindsAndPlaces) {
  auto root_with_parent =
      ValidateOrganisationPlacement(DISTRICT_COMMITTEE, DISTRICT_COMMITTEE, DISTRICT);
  EXPECT_EQ(Reason(root_with_parent), "PLACEMENT_INVALID");
  auto skipped = ValidateOrganisationPlacement(BUILDING_GROUP, COMMUNITY_COMMITTEE, COMMUNITY);
  EXPECT_EQ(Reason(skipped), "PLACEMENT_INVALID");
  EXPECT_NE(skipped.message().find("GRID_BRANCH"), absl::string_view::npos) << skipped;
  EXPECT_NE(skipped.message().find("COMMUNITY_COMMITTEE"), absl::string_view::npos) << skipped;
  auto orphan =
      ValidateOrganisationPlacement(GRID_BRANCH, ORGANISATION_KIND_UNSPECIFIED, COMMUNITY);
  EXPECT_NE(orphan.message().find("none was given"), absl::string_view::npos) << orphan;
  auto wrong_place =
      ValidateOrganisationPlacement(STREET_WORKING_COMMITTEE, DISTRICT_COMMITTEE, COMMUNITY);
  EXPECT_EQ(Reason(wrong_place), "PLACE_INVALID");
  EXPECT_EQ(ErrorField(wrong_place).value_or(""), "organisation.area_id");
}

TEST(OrganisationRulesTest, KindsAndUnitNames) {
  EXPECT_EQ(Reason(ValidateOrganisationKind("kind", ORGANISATION_KIND_UNSPECIFIED)),
            "KIND_INVALID");
  EXPECT_EQ(Reason(ValidateOrganisationKind("kind", static_cast<OrganisationKind>(99))),
            "KIND_INVALID");
  EXPECT_TRUE(ValidateOrganisationKind("kind", TEMPORARY_BRANCH).ok());
  EXPECT_EQ(Reason(ValidateUnitName("unit_name", TWO_NEW_ORGANISATION, "")), "UNIT_NAME_REQUIRED");
  EXPECT_TRUE(ValidateUnitName("unit_name", TWO_NEW_ORGANISATION, "Riverside Logistics Ltd").ok());
  EXPECT_TRUE(ValidateUnitName("unit_name", GRID_BRANCH, "").ok());
  EXPECT_FALSE(ValidateUnitName("unit_name", JOINT_BRANCH, std::string(201, 'x')).ok());
}

}  // namespace
}  // namespace grassroots::orgs
