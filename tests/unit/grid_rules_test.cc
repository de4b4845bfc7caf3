#include "services/grid/grid_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST(GridRulesTest, CodesArePathSegments) {
  EXPECT_TRUE(ValidateGridCode("c", "g01").ok());
  EXPECT_TRUE(ValidateGridCode("c", "0-a_b").ok());
  EXPECT_TRUE(ValidateGridCode("c", std::string(32, 'a')).ok());
  EXPECT_EQ(Reason(ValidateGridCode("c", std::string(33, 'a'))), "GRID_CODE_INVALID");
  EXPECT_EQ(Reason(ValidateGridCode("c", "")), "GRID_CODE_INVALID");
  EXPECT_EQ(Reason(ValidateGridCode("c", "-g1")), "GRID_CODE_INVALID");
  EXPECT_EQ(Reason(ValidateGridCode("c", "G1")), "GRID_CODE_INVALID");
  EXPECT_EQ(Reason(ValidateGridCode("c", "g/1")), "GRID_CODE_INVALID");
  EXPECT_EQ(ErrorField(ValidateGridCode("grid.code", "")).value_or(""), "grid.code");
}

TEST(GridRulesTest, NamesAndTexts) {
  EXPECT_TRUE(ValidateName("n", "三号楼").ok());
  EXPECT_TRUE(ValidateName("n", std::string(200, 'a')).ok());
  EXPECT_EQ(Reason(ValidateName("n", std::string(201, 'a'))), "NAME_TOO_LONG");
  EXPECT_EQ(Reason(ValidateName("n", "")), "NAME_REQUIRED");
  EXPECT_EQ(Reason(ValidateName("n", "a\nb")), "NAME_INVALID");
  EXPECT_TRUE(ValidateText("t", "", 10, false).ok());
  EXPECT_EQ(Reason(ValidateText("t", "", 10, true)), "TEXT_REQUIRED");
  EXPECT_TRUE(ValidateText("t", std::string(10, 'a'), 10, true).ok());
  EXPECT_EQ(Reason(ValidateText("t", std::string(11, 'a'), 10, true)), "TEXT_TOO_LONG");
  EXPECT_EQ(Reason(ValidateText("t", "\x01", 10, true)), "TEXT_INVALID");
}

TEST(GridRulesTest, AGridLiesInACommunityAndExtendsItsPath) {
  EXPECT_TRUE(ValidateGridArea("f", orgs::v1::COMMUNITY, "d/s/c").ok());
  for (auto kind :
       {orgs::v1::DISTRICT, orgs::v1::STREET, orgs::v1::TOWN, orgs::v1::AREA_KIND_UNSPECIFIED}) {
    EXPECT_EQ(Reason(ValidateGridArea("f", kind, "d/s")), "GRID_AREA_NOT_COMMUNITY");
  }
  EXPECT_EQ(GridPath("d01/s03/c12", "g04"), "d01/s03/c12/g04");
}

}  // namespace
}  // namespace grassroots::grid
