#include "services/volunteer/supermarket_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::volunteer {
namespace {

TEST(SupermarketRulesTest, ARedemptionNamesWhatItTakesAndFromWhom) {
  v1::Redemption r;
  r.set_id("order:2024-17");
  r.set_volunteer_id("vl_1");
  r.set_good_id("gs_1");
  r.set_quantity(2);
  EXPECT_TRUE(ValidateRedemption(r).ok());
  v1::Redemption none = r;
  none.set_quantity(0);
  EXPECT_EQ(ErrorField(ValidateRedemption(none)).value_or(""), "redemption.quantity");
  v1::Redemption slash = r;
  slash.set_id("a/b");
  EXPECT_EQ(ErrorReason(ValidateRedemption(slash)).value_or(""), "REDEMPTION_ID_INVALID");
  EXPECT_EQ(RedemptionTransferId("x"), "redemption/x");
  EXPECT_EQ(CancellationTransferId("x"), "redemption/x/cancel");
  v1::Redemption more = r;
  more.set_quantity(3);
  EXPECT_FALSE(SameRedemption(r, more));
  v1::Redemption answered = r;
  answered.set_points(8);  // output fields do not make it another request
  EXPECT_TRUE(SameRedemption(r, answered));
}

TEST(SupermarketRulesTest, GoodsHaveAPriceAndAStock) {
  v1::Good g;
  g.set_community_path("d01/s01/c01");
  g.set_display_name("大米");
  g.set_price(5);
  EXPECT_TRUE(ValidateGood(g).ok());
  g.set_price(0);
  EXPECT_EQ(ErrorField(ValidateGood(g)).value_or(""), "good.price");
  EXPECT_EQ(ErrorReason(ValidateRestock(3, "")).value_or(""), "REQUEST_ID_REQUIRED");
  EXPECT_FALSE(ValidateRestock(0, "r1").ok());
}

}  // namespace
}  // namespace grassroots::volunteer
