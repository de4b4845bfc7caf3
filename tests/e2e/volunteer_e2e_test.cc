// volunteer through the gateway on both edges, with the real processes: a
// volunteer registered on JSON answered masked, an activity attended and
// confirmed on gRPC crediting the community's points once, a redemption at
// the love supermarket, a street organiser refused another street and the
// ledger's own transfers, a viewer refused writes, and the invariant
// checker clean at the end.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/time/proto_time.h"
#include "grassroots/volunteer/v1/activity.grpc.pb.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "grassroots/volunteer/v1/supermarket.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "tests/e2e/volunteer_gateway_fixture.h"

namespace grassroots {
namespace {

using testing::Parse;
using testing::VolunteerGatewayTest;
namespace v1 = volunteer::v1;

TEST_F(VolunteerGatewayTest, PointsEarnedAndSpentThroughBothEdges) {
  // A volunteer on the JSON edge by a street organiser, in its street.
  auto made = PostJson("VolunteerService/CreateVolunteer",
                       R"({"volunteer":{"communityPath":"ve-d/s1/c1","name":"王秀英"},)"
                       R"("requestId":"ve-1"})",
                       "street-secret");
  ASSERT_EQ(made.status, 200) << made.body;
  auto volunteer = Parse<v1::Volunteer>(made.body);
  EXPECT_EQ(volunteer.masked_name(), "王*英");
  EXPECT_EQ(made.body.find("王秀英"), std::string::npos);
  // ... and not in another street's community.
  auto foreign =
      PostJson("VolunteerService/CreateVolunteer",
               R"({"volunteer":{"communityPath":"ve-d/s2/c1","name":"李四"}})", "street-secret");
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_NE(foreign.body.find("OUT_OF_SCOPE"), std::string::npos) << foreign.body;

  // The rule (admin), the activity and its attendance on gRPC.
  auto activities = v1::ActivityService::NewStub(GatewayChannel());
  v1::SetPointsRuleRequest rule;
  rule.mutable_rule()->set_community_path("ve-d/s1/c1");
  rule.mutable_rule()->set_activity_type("patrol");
  rule.mutable_rule()->set_points_per_activity(4);
  v1::PointsRule set;
  ASSERT_TRUE(activities->SetPointsRule(Context("city-secret").get(), rule, &set).ok());
  // Setting rules is the admin's: the organiser is refused at the gateway.
  EXPECT_EQ(activities->SetPointsRule(Context("street-secret").get(), rule, &set).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::CreateActivityRequest create;
  v1::Activity* a = create.mutable_activity();
  a->set_community_path("ve-d/s1/c1");
  a->set_title("Night patrol");
  a->set_activity_type("patrol");
  a->set_place("East gate");
  a->set_capacity(3);
  ToProtoTime(absl::Now() - absl::Hours(1), a->mutable_start_time());
  ToProtoTime(absl::Now() + absl::Hours(1), a->mutable_end_time());
  v1::Activity activity;
  ASSERT_TRUE(activities->CreateActivity(Context("street-secret").get(), create, &activity).ok());
  v1::SignUpRequest sign_up;
  sign_up.set_activity_id(activity.id());
  sign_up.set_volunteer_id(volunteer.id());
  v1::Attendance attendance;
  ASSERT_TRUE(activities->SignUp(Context("street-secret").get(), sign_up, &attendance).ok());
  v1::RecordTimeRequest at;
  at.set_attendance_id(attendance.id());
  ToProtoTime(absl::Now() - absl::Minutes(50), at.mutable_time());
  ASSERT_TRUE(activities->CheckIn(Context("street-secret").get(), at, &attendance).ok());
  ToProtoTime(absl::Now(), at.mutable_time());
  ASSERT_TRUE(activities->CheckOut(Context("street-secret").get(), at, &attendance).ok());
  v1::AttendanceRequest confirm;
  confirm.set_attendance_id(attendance.id());
  for (int i = 0; i < 2; ++i) {
    grpc::Status s =
        activities->ConfirmAttendance(Context("street-secret").get(), confirm, &attendance);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(attendance.points(), 4);

  // The balance on JSON, read by a viewer; the viewer cannot redeem.
  auto account =
      PostJson("LedgerService/GetAccount",
               absl::StrCat(R"({"id":")", volunteer.account_id(), R"("})"), "viewer-secret");
  ASSERT_EQ(account.status, 200) << account.body;
  EXPECT_EQ(Parse<v1::Account>(account.body).balance(), 4);

  auto good = PostJson("SupermarketService/CreateGood",
                       R"({"good":{"communityPath":"ve-d/s1/c1","displayName":"大米 5kg",)"
                       R"("price":"3","initialStock":"2"}})",
                       "street-secret");
  ASSERT_EQ(good.status, 200) << good.body;
  const std::string redeem =
      absl::StrCat(R"({"redemption":{"id":"ve-r1","volunteerId":")", volunteer.id(),
                   R"(","goodId":")", Parse<v1::Good>(good.body).id(), R"(","quantity":"1"}})");
  EXPECT_EQ(PostJson("SupermarketService/Redeem", redeem, "viewer-secret").status, 403);
  auto redeemed = PostJson("SupermarketService/Redeem", redeem, "street-secret");
  ASSERT_EQ(redeemed.status, 200) << redeemed.body;
  EXPECT_EQ(Parse<v1::Redemption>(redeemed.body).points(), 3);
  // A replay over the other edge answers the same.
  auto supermarket = v1::SupermarketService::NewStub(GatewayChannel());
  v1::RedeemRequest again = Parse<v1::RedeemRequest>(redeem);
  v1::Redemption replay;
  ASSERT_TRUE(supermarket->Redeem(Context("street-secret").get(), again, &replay).ok());
  EXPECT_EQ(replay.state(), v1::REDEMPTION_REDEEMED);

  // Raw transfers are the admin's only.
  auto ledger = v1::LedgerService::NewStub(GatewayChannel());
  v1::CreateTransferRequest transfer;
  transfer.mutable_transfer()->set_id("ve-t1");
  transfer.mutable_transfer()->set_debit_account_id("community/ve-d/s1/c1/issuing");
  transfer.mutable_transfer()->set_credit_account_id(volunteer.account_id());
  transfer.mutable_transfer()->set_amount(100);
  v1::Transfer t;
  EXPECT_EQ(ledger->CreateTransfer(Context("street-secret").get(), transfer, &t).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  auto check = PostJson("LedgerService/CheckInvariants", "{}", "city-secret");
  ASSERT_EQ(check.status, 200) << check.body;
  auto checked = Parse<v1::CheckInvariantsResponse>(check.body);
  EXPECT_EQ(checked.violations_size(), 0) << check.body;
  EXPECT_GE(checked.transfers_checked(), 2);
}

}  // namespace
}  // namespace grassroots
