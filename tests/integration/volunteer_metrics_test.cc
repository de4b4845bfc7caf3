// The business metrics against a real MariaDB: sign-ups, registrations,
// points issued and redeemed, redemptions and cancellations counted by
// street once each, however often a request is replayed.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/time/proto_time.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

bool Has(const std::string& scraped, const std::string& line) {
  return scraped.find(line + "\n") != std::string::npos;
}

TEST_F(VolunteerServiceTest, BusinessFiguresAreCountedByStreetOnce) {
  auto v = NewVolunteer("mt1/s1/c1", "张三", "", "", "mt-vol-1");
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_TRUE(NewVolunteer("mt1/s1/c1", "张三", "", "", "mt-vol-1").ok());  // a replay
  v1::CreditEventRequest credit;
  credit.mutable_credit()->set_source("dualreg");
  credit.mutable_credit()->set_event_id("mt-1");
  credit.mutable_credit()->set_volunteer_id(v->id());
  credit.mutable_credit()->set_points(5);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Rpc(*credits_, &v1::CreditService::Stub::CreditEvent, credit).ok());
  }

  v1::CreateActivityRequest create;
  v1::Activity* a = create.mutable_activity();
  a->set_community_path("mt1/s1/c1");
  a->set_title("Tree planting");
  a->set_activity_type("green");
  a->set_place("Riverside");
  a->set_capacity(4);
  ToProtoTime(absl::Now() - absl::Hours(1), a->mutable_start_time());
  ToProtoTime(absl::Now() + absl::Hours(1), a->mutable_end_time());
  auto activity = Rpc(*activities_, &v1::ActivityService::Stub::CreateActivity, create);
  ASSERT_TRUE(activity.ok()) << activity.status();
  v1::SignUpRequest sign_up;
  sign_up.set_activity_id(activity->id());
  sign_up.set_volunteer_id(v->id());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Rpc(*activities_, &v1::ActivityService::Stub::SignUp, sign_up).ok());
  }

  v1::CreateGoodRequest good;
  good.mutable_good()->set_community_path("mt1/s1/c1");
  good.mutable_good()->set_display_name("soap");
  good.mutable_good()->set_price(3);
  good.mutable_good()->set_initial_stock(5);
  auto made = Rpc(*supermarket_, &v1::SupermarketService::Stub::CreateGood, good);
  ASSERT_TRUE(made.ok()) << made.status();
  v1::RedeemRequest redeem;
  redeem.mutable_redemption()->set_id("mt-r1");
  redeem.mutable_redemption()->set_volunteer_id(v->id());
  redeem.mutable_redemption()->set_good_id(made->id());
  redeem.mutable_redemption()->set_quantity(1);
  v1::CancelRedemptionRequest cancel;
  cancel.set_id("mt-r1");
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Rpc(*supermarket_, &v1::SupermarketService::Stub::Redeem, redeem).ok());
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Rpc(*supermarket_, &v1::SupermarketService::Stub::CancelRedemption, cancel).ok());
  }

  const std::string scraped = ScrapeMetrics(*suite_);
  const std::string street = R"({street="mt1/s1"})";
  EXPECT_TRUE(Has(scraped, absl::StrCat("volunteer_volunteers_registered_total", street, " 1")))
      << scraped;
  EXPECT_TRUE(Has(scraped, absl::StrCat("volunteer_points_issued_total", street, " 5")));
  EXPECT_TRUE(Has(scraped, absl::StrCat("volunteer_sign_ups_total", street, " 1")));
  EXPECT_TRUE(Has(scraped, absl::StrCat("volunteer_redemptions_total", street, " 1")));
  EXPECT_TRUE(Has(scraped, absl::StrCat("volunteer_points_redeemed_total", street, " 3")));
  EXPECT_TRUE(Has(scraped, absl::StrCat("volunteer_redemptions_cancelled_total", street, " 1")));
  // Labels no finer than a street: no community, no id.
  EXPECT_EQ(scraped.find("mt1/s1/c1"), std::string::npos);
}

}  // namespace
}  // namespace grassroots::volunteer::testing
