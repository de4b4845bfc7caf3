#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/dualreg/order_rules.h"

namespace grassroots::dualreg {
namespace {

std::string Reason(const absl::Status& s) { return ErrorReason(s).value_or(s.ToString()); }

// Saturday 4 July 2026, 10:00 in UTC+8.
const absl::Time kSaturdayTen =
    absl::FromCivil(absl::CivilMinute(2026, 7, 4, 2, 0), absl::UTCTimeZone());

v1::Order Order() {
  v1::Order order;
  order.set_community_id("ar_1");
  order.set_household_id("hh_1");
  order.set_skill("repair");
  order.set_description("the tap leaks");
  ToProtoTime(kSaturdayTen, order.mutable_requested_time());
  order.set_duration_minutes(60);
  return order;
}

google::protobuf::RepeatedPtrField<v1::AvailabilitySlot> Slots(int weekday, int start, int end) {
  google::protobuf::RepeatedPtrField<v1::AvailabilitySlot> slots;
  auto* slot = slots.Add();
  slot->set_weekday(weekday);
  slot->set_start_minute(start);
  slot->set_end_minute(end);
  return slots;
}

TEST(OrderRules, ANewOrder) {
  EXPECT_TRUE(ValidateNewOrder(Order()).ok());
  auto order = Order();
  order.set_skill("");
  EXPECT_EQ(ErrorField(ValidateNewOrder(order)), "order.skill");
  order = Order();
  order.set_duration_minutes(10);
  EXPECT_EQ(Reason(ValidateNewOrder(order)), "DURATION_INVALID");
  order = Order();
  order.clear_requested_time();
  EXPECT_EQ(Reason(ValidateNewOrder(order)), "REQUESTED_TIME_REQUIRED");
  order = Order();
  order.set_description("");
  EXPECT_EQ(ErrorField(ValidateNewOrder(order)), "order.description");
}

TEST(OrderRules, WhoMayTakeWhichStep) {
  EXPECT_TRUE(CheckDispatchable(v1::ORDERED, false).ok());
  EXPECT_TRUE(CheckDispatchable(v1::UNMATCHED, false).ok());
  EXPECT_EQ(Reason(CheckDispatchable(v1::DISPATCHED, false)), "ORDER_NOT_DISPATCHABLE");
  EXPECT_TRUE(CheckDispatchable(v1::DISPATCHED, true).ok());
  EXPECT_TRUE(CheckDispatchable(v1::TAKEN, true).ok());
  EXPECT_EQ(Reason(CheckDispatchable(v1::COMPLETED, true)), "ORDER_NOT_DISPATCHABLE");

  EXPECT_TRUE(CheckTakeable(v1::DISPATCHED, true).ok());
  EXPECT_EQ(Reason(CheckTakeable(v1::DISPATCHED, false)), "ORDER_NOT_OFFERED");
  EXPECT_EQ(Reason(CheckTakeable(v1::TAKEN, true)), "ORDER_NOT_DISPATCHED");

  EXPECT_TRUE(CheckCompletable(v1::TAKEN, true, 45).ok());
  EXPECT_EQ(Reason(CheckCompletable(v1::TAKEN, false, 45)), "NOT_THE_TAKER");
  EXPECT_EQ(Reason(CheckCompletable(v1::TAKEN, true, 0)), "MINUTES_INVALID");
  EXPECT_EQ(Reason(CheckCompletable(v1::DISPATCHED, true, 45)), "ORDER_NOT_TAKEN");

  // Only the resident who ordered it makes it count ("photo-op registration").
  EXPECT_TRUE(CheckConfirmable(v1::COMPLETED, true).ok());
  EXPECT_EQ(Reason(CheckConfirmable(v1::COMPLETED, false)), "NOT_THE_ORDERER");
  EXPECT_EQ(Reason(CheckConfirmable(v1::TAKEN, true)), "ORDER_NOT_COMPLETED");

  EXPECT_TRUE(CheckRateable(v1::CONFIRMED, true, 5).ok());
  EXPECT_EQ(Reason(CheckRateable(v1::RATED, true, 5)), "ORDER_NOT_CONFIRMED");
  EXPECT_EQ(Reason(CheckRateable(v1::CONFIRMED, true, 6)), "RATING_INVALID");
  EXPECT_EQ(Reason(CheckRateable(v1::CONFIRMED, false, 4)), "NOT_THE_ORDERER");
}

TEST(OrderRules, DispatchRequests) {
  v1::DispatchOrderRequest request;
  EXPECT_TRUE(ValidateDispatch(request).ok());
  EXPECT_EQ(MaxMembers(request), 1);
  request.set_max_members(6);
  EXPECT_EQ(Reason(ValidateDispatch(request)), "MAX_MEMBERS_INVALID");
  request.set_max_members(3);
  EXPECT_EQ(MaxMembers(request), 3);
  request.add_registration_ids("mr_1");
  request.add_registration_ids("mr_1");
  EXPECT_EQ(Reason(ValidateDispatch(request)), "REGISTRATION_REPEATED");
}

TEST(OrderRules, AnOfferSuitsWhenTheSkillAndALocalSlotHoldTheWholeService) {
  const std::vector<std::string> skills = {"repair", "tutoring"};
  const absl::Duration utc8 = absl::Hours(8);
  // Saturday is 6; the service runs 10:00-11:00 local.
  EXPECT_TRUE(OfferSuits(skills, Slots(6, 9 * 60, 12 * 60), "repair", kSaturdayTen, 60, utc8));
  EXPECT_TRUE(OfferSuits(skills, Slots(6, 10 * 60, 11 * 60), "repair", kSaturdayTen, 60, utc8));
  EXPECT_FALSE(
      OfferSuits(skills, Slots(6, 10 * 60, 11 * 60 - 1), "repair", kSaturdayTen, 60, utc8));
  EXPECT_FALSE(OfferSuits(skills, Slots(5, 0, 1440), "repair", kSaturdayTen, 60, utc8));
  EXPECT_FALSE(OfferSuits(skills, Slots(6, 0, 1440), "cooking", kSaturdayTen, 60, utc8));
  // In UTC the same instant is Saturday 02:00.
  EXPECT_FALSE(OfferSuits(skills, Slots(6, 9 * 60, 12 * 60), "repair", kSaturdayTen, 60,
                          absl::ZeroDuration()));
  EXPECT_TRUE(
      OfferSuits(skills, Slots(6, 0, 3 * 60), "repair", kSaturdayTen, 60, absl::ZeroDuration()));
  // 23:30 for an hour crosses local midnight: no single slot holds it.
  EXPECT_FALSE(OfferSuits(skills, Slots(6, 0, 1440), "repair",
                          kSaturdayTen + absl::Minutes(13 * 60 + 30), 60, utc8));
}

TEST(OrderRules, TheLeastBusyFirst) {
  const auto picked = PickCandidates({{"mr_c", 0}, {"mr_a", 2}, {"mr_b", 0}, {"mr_d", 1}}, 3);
  ASSERT_EQ(picked.size(), 3u);
  EXPECT_EQ(picked[0].registration_id, "mr_b");
  EXPECT_EQ(picked[1].registration_id, "mr_c");
  EXPECT_EQ(picked[2].registration_id, "mr_d");
  EXPECT_TRUE(PickCandidates({}, 2).empty());
}

TEST(OrderRules, Deadlines) {
  const OrderClock clock{absl::Hours(2), absl::Hours(24), absl::Hours(8)};
  EXPECT_EQ(TakeDue(kSaturdayTen, clock), kSaturdayTen + absl::Hours(2));
  // Taken before the service: due a day after the service's end.
  EXPECT_EQ(CompleteDue(kSaturdayTen - absl::Hours(5), kSaturdayTen, 60, clock),
            kSaturdayTen + absl::Hours(25));
  // Taken after the requested time passed: a day after the take.
  EXPECT_EQ(CompleteDue(kSaturdayTen + absl::Hours(3), kSaturdayTen, 60, clock),
            kSaturdayTen + absl::Hours(27));
}

}  // namespace
}  // namespace grassroots::dualreg
