#include "services/grid/duplicate_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace grassroots::grid {
namespace {

TEST(DuplicateRulesTest, DistancesOnTheGround) {
  // Tiananmen to the Forbidden City's north gate: about 1.9 km due north.
  const double d = DistanceMeters(39.9075, 116.3972, 39.9249, 116.3972);
  EXPECT_NEAR(d, 1935, 5);
  EXPECT_DOUBLE_EQ(DistanceMeters(30.0, 120.0, 30.0, 120.0), 0.0);
  // 0.001 degrees of longitude at 40°N is about 85 m.
  EXPECT_NEAR(DistanceMeters(40.0, 116.0, 40.0, 116.001), 85.2, 0.5);
}

TEST(DuplicateRulesTest, TheBoxHoldsEveryPointOfTheCircle) {
  for (double lat : {0.0, 31.2, 39.9, -33.9, 70.0}) {
    const BoundingBox box = BoxAround(lat, 121.5, 200);
    for (int bearing = 0; bearing < 360; bearing += 15) {
      // A point ~199 m away along the bearing.
      const double rad = bearing * 3.14159265358979 / 180;
      const double dlat = 199.0 / 111195.0 * std::cos(rad);
      const double dlon =
          199.0 / (111195.0 * std::cos(lat * 3.14159265358979 / 180)) * std::sin(rad);
      const double plat = lat + dlat;
      const double plon = 121.5 + dlon;
      ASSERT_LT(DistanceMeters(lat, 121.5, plat, plon), 200.5);
      EXPECT_GE(plat, box.min_latitude);
      EXPECT_LE(plat, box.max_latitude);
      EXPECT_GE(plon, box.min_longitude);
      EXPECT_LE(plon, box.max_longitude);
    }
  }
}

TEST(DuplicateRulesTest, EveryPointOfTheBoxLiesInACellCoveringIt) {
  for (double lat : {0.0, 31.2, 39.9, -33.9, 30.199999999}) {
    for (double lon : {121.5, 120.0, -0.004, 116.3999999}) {
      const BoundingBox box = BoxAround(lat, lon, 200);
      const std::vector<int64_t> cells = CellsCovering(box, 64);
      ASSERT_FALSE(cells.empty());
      EXPECT_LE(cells.size(), 36u);  // 400 m across: at most 6 x 6 cells of ~100 m
      for (double f : {0.0, 0.25, 0.5, 0.75, 1.0}) {
        const double plat = box.min_latitude + f * (box.max_latitude - box.min_latitude);
        for (double g : {0.0, 0.5, 1.0}) {
          const double plon = box.min_longitude + g * (box.max_longitude - box.min_longitude);
          EXPECT_NE(std::find(cells.begin(), cells.end(), GeoCell(plat, plon)), cells.end())
              << plat << "," << plon;
        }
      }
    }
  }
}

TEST(DuplicateRulesTest, CellsAreThousandthsOfADegree) {
  EXPECT_EQ(GeoCell(30.2, 120.1), GeoCell(30.2005, 120.1009));
  EXPECT_NE(GeoCell(30.2, 120.1), GeoCell(30.201, 120.1));
  EXPECT_NE(GeoCell(30.2, 120.1), GeoCell(30.2, 120.101));
  EXPECT_EQ(GeoCell(-90.0, -180.0), 0);
  EXPECT_EQ(GeoCell(90.0, 180.0), int64_t{180000} * 360001 + 360000);  // beyond 32 bits
  // The formula of the geo_cell column (migration 0022), by hand.
  EXPECT_EQ(GeoCell(30.2, 120.1), int64_t{120200} * 360001 + 300100);
}

TEST(DuplicateRulesTest, AWideRadiusCoversTooManyCellsToList) {
  EXPECT_TRUE(CellsCovering(BoxAround(31.2, 121.5, 1000), 64).empty());
  // 2 km across at 31°N: 0.018° of latitude, 0.021° of longitude.
  EXPECT_EQ(CellsCovering(BoxAround(31.2, 121.5, 1000), 1000).size(), 18u * 22u);
}

TEST(DuplicateRulesTest, SameCategoryNearAndRecentIsADuplicate) {
  const absl::Time open = absl::FromUnixSeconds(1'800'000'000);
  EXPECT_TRUE(IsDuplicate(49.0, 50, open, open + absl::Minutes(30), 60));
  EXPECT_TRUE(IsDuplicate(50.0, 50, open, open + absl::Minutes(60), 60));
  EXPECT_FALSE(IsDuplicate(50.1, 50, open, open + absl::Minutes(1), 60));
  EXPECT_FALSE(IsDuplicate(10.0, 50, open, open + absl::Minutes(61), 60));
  EXPECT_FALSE(IsDuplicate(0.0, 0, open, open, 60));  // radius 0: no check
}

}  // namespace
}  // namespace grassroots::grid
