// A micro-wish through the gateway with the real processes: collected,
// verified and published on the JSON edge by a street organiser, claimed
// and fulfilled on gRPC, confirmed twice on both edges paying the claimer
// once; a viewer refused a claim, another street refused a wish, and the
// invariant checker clean at the end.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "grassroots/volunteer/v1/wish.grpc.pb.h"
#include "tests/e2e/volunteer_gateway_fixture.h"

namespace grassroots {
namespace {

using testing::Parse;
using testing::VolunteerGatewayTest;
namespace v1 = volunteer::v1;

TEST_F(VolunteerGatewayTest, AMicroWishFromCollectionToThePointsOnBothEdges) {
  auto made =
      PostJson("VolunteerService/CreateVolunteer",
               R"({"volunteer":{"communityPath":"ve-d/s1/c2","name":"赵六"}})", "street-secret");
  ASSERT_EQ(made.status, 200) << made.body;
  const auto volunteer = Parse<v1::Volunteer>(made.body);

  auto collected = PostJson("WishService/CollectWish",
                            R"({"wish":{"communityPath":"ve-d/s1/c2","title":"一个书包",)"
                            R"("points":"6","onUnclaimed":"UNCLAIMED_ESCALATE"},)"
                            R"("requestId":"ve-wish-1"})",
                            "street-secret");
  ASSERT_EQ(collected.status, 200) << collected.body;
  const auto wish = Parse<v1::Wish>(collected.body);
  EXPECT_EQ(wish.state(), v1::WISH_COLLECTED);
  EXPECT_EQ(wish.publish_days(), 14);
  const std::string id = absl::StrCat(R"({"id":")", wish.id(), R"(")");
  auto verified =
      PostJson("WishService/VerifyWish", absl::StrCat(id, R"(,"approve":true})"), "street-secret");
  ASSERT_EQ(verified.status, 200) << verified.body;
  auto published = PostJson("WishService/PublishWish", id + "}", "street-secret");
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(Parse<v1::Wish>(published.body).state(), v1::WISH_PUBLISHED);
  // A viewer reads it but cannot claim it; the organiser cannot collect in
  // another street.
  auto read = PostJson("WishService/GetWish", id + "}", "viewer-secret");
  EXPECT_EQ(read.status, 200) << read.body;
  const std::string claim = absl::StrCat(id, R"(,"volunteerId":")", volunteer.id(), R"("})");
  EXPECT_EQ(PostJson("WishService/ClaimWish", claim, "viewer-secret").status, 403);
  auto foreign =
      PostJson("WishService/CollectWish", R"({"wish":{"communityPath":"ve-d/s2/c1","title":"x"}})",
               "street-secret");
  EXPECT_EQ(foreign.status, 403) << foreign.body;

  auto wishes = v1::WishService::NewStub(GatewayChannel());
  v1::ClaimWishRequest claim_request = Parse<v1::ClaimWishRequest>(claim);
  v1::Wish claimed;
  grpc::Status s = wishes->ClaimWish(Context("street-secret").get(), claim_request, &claimed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(claimed.claimer_kind(), v1::CLAIMER_VOLUNTEER);
  v1::FulfilWishRequest fulfil;
  fulfil.set_id(wish.id());
  fulfil.set_note("送到了");
  v1::Wish fulfilled;
  s = wishes->FulfilWish(Context("street-secret").get(), fulfil, &fulfilled);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::ConfirmWishRequest confirm;
  confirm.set_id(wish.id());
  v1::Wish confirmed;
  s = wishes->ConfirmWish(Context("street-secret").get(), confirm, &confirmed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(confirmed.transfer_id(), "wish/" + wish.id());
  auto again = PostJson("WishService/ConfirmWish", id + "}", "street-secret");
  ASSERT_EQ(again.status, 200) << again.body;

  auto account =
      PostJson("LedgerService/GetAccount",
               absl::StrCat(R"({"id":")", volunteer.account_id(), R"("})"), "viewer-secret");
  ASSERT_EQ(account.status, 200) << account.body;
  EXPECT_EQ(Parse<v1::Account>(account.body).balance(), 6);
  auto check = PostJson("LedgerService/CheckInvariants", "{}", "city-secret");
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(Parse<v1::CheckInvariantsResponse>(check.body).violations_size(), 0) << check.body;
}

}  // namespace
}  // namespace grassroots
