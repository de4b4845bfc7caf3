#include "services/grid/building_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

TEST(BuildingRulesTest, FloorsAreOneToTwoHundredOrUnrecorded) {
  EXPECT_TRUE(ValidateFloorCount("f", 0).ok());
  EXPECT_TRUE(ValidateFloorCount("f", 1).ok());
  EXPECT_TRUE(ValidateFloorCount("f", 200).ok());
  EXPECT_EQ(Reason(ValidateFloorCount("f", 201)), "FLOOR_COUNT_INVALID");
  EXPECT_EQ(Reason(ValidateFloorCount("f", -1)), "FLOOR_COUNT_INVALID");
}

TEST(BuildingRulesTest, ABuildingStandsInItsCompoundsGrid) {
  EXPECT_EQ(*BuildingGridId("", "cp1", "gd1"), "gd1");
  EXPECT_EQ(*BuildingGridId("gd1", "cp1", "gd1"), "gd1");
  EXPECT_EQ(Reason(BuildingGridId("gd2", "cp1", "gd1").status()), "BUILDING_GRID_MISMATCH");
  EXPECT_EQ(*BuildingGridId("gd2", "", ""), "gd2");
  EXPECT_EQ(Reason(BuildingGridId("", "", "").status()), "ID_REQUIRED");
}

TEST(BuildingRulesTest, CompoundAddressesAreOptionalText) {
  EXPECT_TRUE(ValidateCompoundAddress("a", "").ok());
  EXPECT_TRUE(ValidateCompoundAddress("a", std::string(300, 'x')).ok());
  EXPECT_EQ(Reason(ValidateCompoundAddress("a", std::string(301, 'x'))), "TEXT_TOO_LONG");
}

}  // namespace
}  // namespace grassroots::grid
