#include "services/volunteer/wish_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/time/proto_time.h"

namespace grassroots::volunteer {
namespace {

const absl::Time kNoon = absl::FromUnixSeconds(1'796'212'800);  // 2026-12-02 12:00 UTC

v1::Wish Requested() {
  v1::Wish w;
  w.set_community_path("d01/s01/c01");
  w.set_title("A school bag for a grade-two pupil");
  w.set_points(5);
  return w;
}

v1::Wish Published(v1::UnclaimedPolicy policy) {
  v1::Wish w = Requested();
  w.set_on_unclaimed(policy);
  w = Collected(w);
  w.set_state(v1::WISH_VERIFIED);
  ApplyPublish(w, kNoon);
  return w;
}

TEST(WishRulesTest, AWishNamesItsCommunityTitleAndPoints) {
  EXPECT_TRUE(ValidateWish(Requested()).ok());
  v1::Wish w = Requested();
  w.set_points(101);
  EXPECT_EQ(ErrorField(ValidateWish(w)).value_or(""), "wish.points");
  w = Requested();
  w.set_title("");
  EXPECT_EQ(ErrorField(ValidateWish(w)).value_or(""), "wish.title");
  w = Requested();
  w.set_publish_days(91);
  EXPECT_EQ(ErrorReason(ValidateWish(w)).value_or(""), "PUBLISH_DAYS_INVALID");
  w = Requested();
  w.set_claim_hours(721);
  EXPECT_EQ(ErrorReason(ValidateWish(w)).value_or(""), "CLAIM_HOURS_INVALID");
  w = Requested();
  w.set_community_path("D01");
  EXPECT_EQ(ErrorField(ValidateWish(w)).value_or(""), "wish.community_path");
}

TEST(WishRulesTest, CollectingFillsTheDefaults) {
  const v1::Wish w = Collected(Requested());
  EXPECT_EQ(w.state(), v1::WISH_COLLECTED);
  EXPECT_EQ(w.publish_days(), kDefaultPublishDays);
  EXPECT_EQ(w.claim_hours(), kDefaultClaimHours);
  EXPECT_EQ(w.on_unclaimed(), v1::UNCLAIMED_EXPIRE);
}

TEST(WishRulesTest, StepsFollowTheLifeOfAWish) {
  EXPECT_TRUE(CheckWishStep(v1::WISH_COLLECTED, WishStep::kVerify).ok());
  EXPECT_TRUE(CheckWishStep(v1::WISH_VERIFIED, WishStep::kPublish).ok());
  EXPECT_TRUE(CheckWishStep(v1::WISH_PUBLISHED, WishStep::kClaim).ok());
  EXPECT_TRUE(CheckWishStep(v1::WISH_ESCALATED, WishStep::kClaim).ok());
  EXPECT_TRUE(CheckWishStep(v1::WISH_CLAIMED, WishStep::kFulfil).ok());
  EXPECT_TRUE(CheckWishStep(v1::WISH_FULFILLED, WishStep::kConfirm).ok());
  const absl::Status early = CheckWishStep(v1::WISH_COLLECTED, WishStep::kPublish);
  EXPECT_EQ(ErrorReason(early).value_or(""), "WISH_STATE");
  EXPECT_NE(early.message().find("collected cannot be published"), std::string::npos);
  EXPECT_FALSE(CheckWishStep(v1::WISH_CLAIMED, WishStep::kConfirm).ok());
  EXPECT_FALSE(CheckWishStep(v1::WISH_EXPIRED, WishStep::kClaim).ok());
  EXPECT_FALSE(CheckWishStep(v1::WISH_REJECTED, WishStep::kPublish).ok());
  EXPECT_FALSE(CheckWishStep(v1::WISH_CONFIRMED, WishStep::kConfirm).ok());
}

TEST(WishRulesTest, APublishedWishIsClaimableForItsPeriod) {
  const v1::Wish w = Published(v1::UNCLAIMED_EXPIRE);
  EXPECT_EQ(FromProtoTime(w.claimable_until()), kNoon + absl::Hours(24 * 14));
  EXPECT_EQ(FromProtoTime(w.due_time()), FromProtoTime(w.claimable_until()));
  EXPECT_TRUE(CheckClaimable(w, kNoon + absl::Hours(24 * 14) - absl::Seconds(1)).ok());
  EXPECT_EQ(ErrorReason(CheckClaimable(w, kNoon + absl::Hours(24 * 14))).value_or(""),
            "CLAIM_PERIOD_OVER");
}

TEST(WishRulesTest, UnclaimedItExpiresOrEscalatesOnceToItsStreet) {
  EXPECT_FALSE(OnDue(Published(v1::UNCLAIMED_EXPIRE), kNoon + absl::Hours(1)).has_value());
  const auto expired = OnDue(Published(v1::UNCLAIMED_EXPIRE), kNoon + absl::Hours(24 * 15));
  ASSERT_TRUE(expired.has_value());
  EXPECT_EQ(expired->state(), v1::WISH_EXPIRED);
  EXPECT_FALSE(expired->has_due_time());

  const absl::Time late = kNoon + absl::Hours(24 * 15);
  const auto escalated = OnDue(Published(v1::UNCLAIMED_ESCALATE), late);
  ASSERT_TRUE(escalated.has_value());
  EXPECT_EQ(escalated->state(), v1::WISH_ESCALATED);
  EXPECT_EQ(escalated->escalated_to_path(), "d01/s01");
  EXPECT_EQ(FromProtoTime(escalated->due_time()), late + absl::Hours(24 * 14));
  const auto then = OnDue(*escalated, late + absl::Hours(24 * 14));
  ASSERT_TRUE(then.has_value());
  EXPECT_EQ(then->state(), v1::WISH_EXPIRED);
}

TEST(WishRulesTest, ALapsedClaimReopensTheWish) {
  v1::Wish w = Published(v1::UNCLAIMED_EXPIRE);
  w.set_claimer_volunteer_id("vl_1");
  w.set_claimer_kind(v1::CLAIMER_VOLUNTEER);
  ApplyClaim(w, kNoon + absl::Hours(1));
  EXPECT_EQ(w.state(), v1::WISH_CLAIMED);
  EXPECT_EQ(FromProtoTime(w.claim_due_time()), kNoon + absl::Hours(73));
  EXPECT_TRUE(CheckClaimHeld(w, kNoon + absl::Hours(72)).ok());
  EXPECT_EQ(ErrorReason(CheckClaimHeld(w, kNoon + absl::Hours(73))).value_or(""), "CLAIM_LAPSED");
  EXPECT_FALSE(OnDue(w, kNoon + absl::Hours(72)).has_value());
  const auto reopened = OnDue(w, kNoon + absl::Hours(73));
  ASSERT_TRUE(reopened.has_value());
  EXPECT_EQ(reopened->state(), v1::WISH_PUBLISHED);
  EXPECT_EQ(reopened->claimer_volunteer_id(), "");
  EXPECT_EQ(reopened->lapsed_claims(), 1);
  EXPECT_EQ(FromProtoTime(reopened->due_time()), FromProtoTime(w.claimable_until()));
}

TEST(WishRulesTest, AClaimLapsingAfterTheWishsDeadlineGoesStraightOn) {
  v1::Wish w = Published(v1::UNCLAIMED_EXPIRE);
  w.set_claimer_volunteer_id("vl_1");
  ApplyClaim(w, kNoon + absl::Hours(24 * 14 - 1));
  const auto after = OnDue(w, kNoon + absl::Hours(24 * 17));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->state(), v1::WISH_EXPIRED);
  EXPECT_EQ(after->lapsed_claims(), 1);
}

TEST(WishRulesTest, TheStreetOfACommunityAndTheTransferId) {
  EXPECT_EQ(StreetOf("d01/s01/c01"), "d01/s01");
  EXPECT_EQ(StreetOf("d01"), "d01");
  EXPECT_EQ(WishTransferId("wi_1"), "wish/wi_1");
  EXPECT_EQ(OnDue(Collected(Requested()), kNoon), std::nullopt);
}

}  // namespace
}  // namespace grassroots::volunteer
