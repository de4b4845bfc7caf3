// The ledger's own flows and the cancellations through the gateway, with
// the real processes: a team with its leader; linked transfers on JSON
// that succeed or fail together; a reversal on gRPC made once; a statement
// on JSON with the running balances; a redemption cancelled on gRPC giving
// back points and stock; a sign-up cancelled freeing its place; the expiry
// rule set and a sweep run; a good deed paid its rule's points once; the
// checker clean at the end. (Points expiring
// needs a clock months ahead: the integration tests move one.)
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/time/proto_time.h"
#include "grassroots/volunteer/v1/activity.grpc.pb.h"
#include "grassroots/volunteer/v1/credit.grpc.pb.h"
#include "grassroots/volunteer/v1/expiry.grpc.pb.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "grassroots/volunteer/v1/supermarket.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "tests/e2e/volunteer_gateway_fixture.h"

namespace grassroots {
namespace {

using testing::Parse;
using testing::VolunteerGatewayTest;
namespace v1 = volunteer::v1;

TEST_F(VolunteerGatewayTest, TransfersReversalsStatementsAndCancellationsOnBothEdges) {
  auto made =
      PostJson("VolunteerService/CreateVolunteer",
               R"({"volunteer":{"communityPath":"ve-d/s1/c5","name":"陈静"}})", "street-secret");
  ASSERT_EQ(made.status, 200) << made.body;
  const auto volunteer = Parse<v1::Volunteer>(made.body);
  auto team = PostJson("VolunteerService/CreateTeam",
                       absl::StrCat(R"({"team":{"communityPath":"ve-d/s1/c5",)",
                                    R"("displayName":"Veterans' patrol","leaderVolunteerIds":[")",
                                    volunteer.id(), R"("]}})"),
                       "street-secret");
  ASSERT_EQ(team.status, 200) << team.body;
  EXPECT_EQ(Parse<v1::Team>(team.body).leader_volunteer_ids(0), volunteer.id());

  const std::string issuing = "community/ve-d/s1/c5/issuing";
  const std::string market = "community/ve-d/s1/c5/supermarket";
  for (const char* kind : {"ACCOUNT_KIND_ISSUING", "ACCOUNT_KIND_SUPERMARKET"}) {
    auto opened = PostJson(
        "LedgerService/OpenAccount",
        absl::StrCat(R"({"account":{"kind":")", kind, R"(","communityPath":"ve-d/s1/c5"}})"),
        "city-secret");
    ASSERT_EQ(opened.status, 200) << opened.body;
  }
  // Linked: the second would overdraw the volunteer, so neither is made.
  const auto linked = [&](int64_t spent) {
    return absl::StrCat(
        R"({"transfers":[{"id":"ve-l1","debitAccountId":")", issuing, R"(","creditAccountId":")",
        volunteer.account_id(), R"(","amount":"10","memo":"patrol"},)",
        R"({"id":"ve-l2","debitAccountId":")", volunteer.account_id(), R"(","creditAccountId":")",
        market, R"(","amount":")", spent, R"(","memo":"rice"}]})");
  };
  auto overdrawn = PostJson("LedgerService/CreateLinkedTransfers", linked(11), "city-secret");
  EXPECT_EQ(overdrawn.status, 400) << overdrawn.body;
  EXPECT_NE(overdrawn.body.find(R"("reason":"INSUFFICIENT_BALANCE")"), std::string::npos)
      << overdrawn.body;
  const auto balance = [&](const std::string& account) {
    auto got = PostJson("LedgerService/GetAccount", absl::StrCat(R"({"id":")", account, R"("})"),
                        "viewer-secret");
    EXPECT_EQ(got.status, 200) << got.body;
    return Parse<v1::Account>(got.body).balance();
  };
  EXPECT_EQ(balance(volunteer.account_id()), 0);
  auto both = PostJson("LedgerService/CreateLinkedTransfers", linked(3), "city-secret");
  ASSERT_EQ(both.status, 200) << both.body;
  EXPECT_EQ(balance(volunteer.account_id()), 7);

  // The purchase reversed on gRPC, once.
  auto ledger = v1::LedgerService::NewStub(GatewayChannel());
  v1::ReverseTransferRequest reverse;
  reverse.set_id("ve-l2-undo");
  reverse.set_transfer_id("ve-l2");
  reverse.set_memo("returned");
  v1::Transfer reversal;
  grpc::Status s = ledger->ReverseTransfer(Context("city-secret").get(), reverse, &reversal);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(reversal.reverses_transfer_id(), "ve-l2");
  reverse.set_id("ve-l2-undo-again");
  s = ledger->ReverseTransfer(Context("city-secret").get(), reverse, &reversal);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(balance(volunteer.account_id()), 10);

  // Today's statement, oldest first with the balance after each entry.
  const absl::Time now = absl::Now();
  const std::string today = absl::FormatTime("%Y-%m-%d", now, absl::UTCTimeZone());
  const std::string tomorrow =
      absl::FormatTime("%Y-%m-%d", now + absl::Hours(24), absl::UTCTimeZone());
  auto statement =
      PostJson("LedgerService/GetStatement",
               absl::StrCat(R"({"accountId":")", volunteer.account_id(), R"(","startDate":")",
                            today, R"(","endDate":")", tomorrow, R"("})"),
               "viewer-secret");
  ASSERT_EQ(statement.status, 200) << statement.body;
  const auto shown = Parse<v1::Statement>(statement.body);
  EXPECT_EQ(shown.opening_balance(), 0);
  EXPECT_EQ(shown.closing_balance(), 10);
  ASSERT_EQ(shown.entries_size(), 3) << statement.body;
  EXPECT_EQ(shown.entries(0).balance_after(), 10);
  EXPECT_EQ(shown.entries(1).balance_after(), 7);
  EXPECT_EQ(shown.entries(2).transfer_id(), "ve-l2-undo");
  EXPECT_EQ(shown.entries(2).balance_after(), 10);

  // A redemption cancelled on gRPC: the points and the item come back.
  auto good = PostJson("SupermarketService/CreateGood",
                       R"({"good":{"communityPath":"ve-d/s1/c5","displayName":"soap",)"
                       R"("price":"4","initialStock":"2"},"requestId":"ve-soap"})",
                       "street-secret");
  ASSERT_EQ(good.status, 200) << good.body;
  const auto soap = Parse<v1::Good>(good.body);
  auto redeemed =
      PostJson("SupermarketService/Redeem",
               absl::StrCat(R"({"redemption":{"id":"ve-r1","volunteerId":")", volunteer.id(),
                            R"(","goodId":")", soap.id(), R"(","quantity":"2"}})"),
               "street-secret");
  ASSERT_EQ(redeemed.status, 200) << redeemed.body;
  EXPECT_EQ(balance(volunteer.account_id()), 2);
  auto supermarket = v1::SupermarketService::NewStub(GatewayChannel());
  v1::CancelRedemptionRequest cancel;
  cancel.set_id("ve-r1");
  v1::Redemption cancelled;
  for (int i = 0; i < 2; ++i) {  // cancelling again answers the same
    s = supermarket->CancelRedemption(Context("street-secret").get(), cancel, &cancelled);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(cancelled.state(), v1::REDEMPTION_CANCELLED);
  }
  EXPECT_EQ(balance(volunteer.account_id()), 10);
  auto stock = PostJson("SupermarketService/GetGood",
                        absl::StrCat(R"({"id":")", soap.id(), R"("})"), "viewer-secret");
  ASSERT_EQ(stock.status, 200) << stock.body;
  EXPECT_EQ(Parse<v1::Good>(stock.body).stock(), 2);

  // A cancelled sign-up frees its place for someone else.
  auto activities = v1::ActivityService::NewStub(GatewayChannel());
  v1::CreateActivityRequest create;
  v1::Activity* a = create.mutable_activity();
  a->set_community_path("ve-d/s1/c5");
  a->set_title("Reading to children");
  a->set_activity_type("culture");
  a->set_place("Library");
  a->set_capacity(1);
  ToProtoTime(now + absl::Hours(24), a->mutable_start_time());
  ToProtoTime(now + absl::Hours(26), a->mutable_end_time());
  v1::Activity activity;
  s = activities->CreateActivity(Context("street-secret").get(), create, &activity);
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto other =
      PostJson("VolunteerService/CreateVolunteer",
               R"({"volunteer":{"communityPath":"ve-d/s1/c5","name":"周敏"}})", "street-secret");
  ASSERT_EQ(other.status, 200) << other.body;
  const auto sign_up = [&](const std::string& id) {
    return PostJson(
        "ActivityService/SignUp",
        absl::StrCat(R"({"activityId":")", activity.id(), R"(","volunteerId":")", id, R"("})"),
        "street-secret");
  };
  auto first = sign_up(volunteer.id());
  ASSERT_EQ(first.status, 200) << first.body;
  auto full = sign_up(Parse<v1::Volunteer>(other.body).id());
  EXPECT_EQ(full.status, 400) << full.body;
  v1::AttendanceRequest withdraw;
  withdraw.set_attendance_id(Parse<v1::Attendance>(first.body).id());
  v1::Attendance withdrawn;
  s = activities->CancelSignUp(Context("street-secret").get(), withdraw, &withdrawn);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(sign_up(Parse<v1::Volunteer>(other.body).id()).status, 200);

  // The community's expiry period and a sweep as of today (nothing is old
  // enough yet).
  auto rule = PostJson("PointsExpiryService/SetExpiryRule",
                       R"({"rule":{"communityPath":"ve-d/s1/c5","months":12}})", "city-secret");
  ASSERT_EQ(rule.status, 200) << rule.body;
  EXPECT_TRUE(Parse<v1::ExpiryRule>(rule.body).configured());
  auto swept = PostJson("PointsExpiryService/ExpirePoints",
                        absl::StrCat(R"({"asOfDate":")", today, R"("})"), "city-secret");
  ASSERT_EQ(swept.status, 200) << swept.body;
  EXPECT_EQ(balance(volunteer.account_id()), 10);

  // A good deed earns the rule's points once, on JSON.
  auto rated = PostJson("ActivityService/SetPointsRule",
                        R"({"rule":{"communityPath":"ve-d/s1/c5","activityType":"help-elderly",)"
                        R"("pointsPerGoodDeed":"6"}})",
                        "city-secret");
  ASSERT_EQ(rated.status, 200) << rated.body;
  const std::string deed =
      absl::StrCat(R"({"volunteerId":")", volunteer.id(), R"(","deedType":"help-elderly",)",
                   R"("description":"walked Mr Li to the clinic","requestId":"ve-deed-1"})");
  EXPECT_EQ(PostJson("CreditService/RecordGoodDeed", deed, "viewer-secret").status, 403);
  for (int i = 0; i < 2; ++i) {
    auto recorded = PostJson("CreditService/RecordGoodDeed", deed, "street-secret");
    ASSERT_EQ(recorded.status, 200) << recorded.body;
    EXPECT_EQ(Parse<v1::Credit>(recorded.body).points(), 6);
  }
  EXPECT_EQ(balance(volunteer.account_id()), 16);

  auto check = PostJson("LedgerService/CheckInvariants", "{}", "city-secret");
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(Parse<v1::CheckInvariantsResponse>(check.body).violations_size(), 0) << check.body;
}

}  // namespace
}  // namespace grassroots
