// Micro-wishes against a real MariaDB: collected, verified, published,
// claimed by a volunteer, a party member or a group, fulfilled and
// confirmed, the points paid once; claims lapse and unclaimed wishes
// expire or escalate when the sweeper (on a clock the tests move) finds
// them due.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

class WishTest : public VolunteerServiceTest {
 protected:
  absl::StatusOr<v1::Wish> Collect(const std::string& community, int64_t points,
                                   v1::UnclaimedPolicy policy = v1::UNCLAIMED_EXPIRE,
                                   const std::string& scope = "") const {
    v1::CollectWishRequest request;
    v1::Wish* w = request.mutable_wish();
    w->set_community_path(community);
    w->set_title("A school bag for a grade-two pupil");
    w->set_description("blue, with reflective strips");
    w->set_household_ref("hh_0001");
    w->set_points(points);
    w->set_on_unclaimed(policy);
    return Rpc(*wishes_, &v1::WishService::Stub::CollectWish, request, scope);
  }
  // Collected, verified and published.
  v1::Wish Open(const std::string& community, int64_t points,
                v1::UnclaimedPolicy policy = v1::UNCLAIMED_EXPIRE) const {
    auto w = Collect(community, points, policy);
    EXPECT_TRUE(w.ok()) << w.status();
    if (!w.ok()) return {};
    v1::VerifyWishRequest verify;
    verify.set_id(w->id());
    verify.set_approve(true);
    auto verified = Rpc(*wishes_, &v1::WishService::Stub::VerifyWish, verify);
    EXPECT_TRUE(verified.ok()) << verified.status();
    auto published = Publish(w->id());
    EXPECT_TRUE(published.ok()) << published.status();
    return published.ok() ? *published : v1::Wish();
  }
  absl::StatusOr<v1::Wish> Publish(const std::string& id) const {
    v1::WishRequest request;
    request.set_id(id);
    return Rpc(*wishes_, &v1::WishService::Stub::PublishWish, request);
  }
  absl::StatusOr<v1::Wish> Claim(const std::string& id, const std::string& volunteer,
                                 const std::string& member = "",
                                 const std::string& team = "") const {
    v1::ClaimWishRequest request;
    request.set_id(id);
    request.set_volunteer_id(volunteer);
    request.set_member_id(member);
    request.set_team_id(team);
    return Rpc(*wishes_, &v1::WishService::Stub::ClaimWish, request);
  }
  absl::StatusOr<v1::Wish> Fulfil(const std::string& id) const {
    v1::FulfilWishRequest request;
    request.set_id(id);
    request.set_note("delivered to the door");
    return Rpc(*wishes_, &v1::WishService::Stub::FulfilWish, request);
  }
  absl::StatusOr<v1::Wish> Confirm(const std::string& id) const {
    v1::ConfirmWishRequest request;
    request.set_id(id);
    request.set_note("thank you");
    return Rpc(*wishes_, &v1::WishService::Stub::ConfirmWish, request);
  }
  absl::StatusOr<v1::Wish> Get(const std::string& id) const {
    v1::WishRequest request;
    request.set_id(id);
    return Rpc(*wishes_, &v1::WishService::Stub::GetWish, request);
  }
  std::string VolunteerId(const std::string& community, const std::string& member = "") const {
    auto v = NewVolunteer(community, "李四", member);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? v->id() : "";
  }
  // Sweeps as if `ahead` had passed.
  void SweepAfter(absl::Duration ahead) {
    SweepClock(*suite_).Set(absl::Now() + ahead);
    auto swept = Sweeper(*suite_).SweepOnce();
    ASSERT_TRUE(swept.ok()) << swept.status();
  }
};

TEST_F(WishTest, AFulfilledWishConfirmedByTheResidentPaysItsClaimerOnce) {
  const std::string v = VolunteerId("wa1/s1/c1");
  auto collected = Collect("wa1/s1/c1", 5);
  ASSERT_TRUE(collected.ok()) << collected.status();
  EXPECT_EQ(collected->state(), v1::WISH_COLLECTED);
  EXPECT_EQ(Reason(Claim(collected->id(), v).status()), "WISH_STATE");
  EXPECT_EQ(Reason(Publish(collected->id()).status()), "WISH_STATE");
  const v1::Wish open = Open("wa1/s1/c1", 5);
  EXPECT_EQ(open.state(), v1::WISH_PUBLISHED);
  EXPECT_EQ(Reason(Fulfil(open.id()).status()), "WISH_STATE");

  auto claimed = Claim(open.id(), v);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(claimed->state(), v1::WISH_CLAIMED);
  EXPECT_EQ(claimed->claimer_kind(), v1::CLAIMER_VOLUNTEER);
  EXPECT_EQ(FromProtoTime(claimed->claim_due_time()) - FromProtoTime(claimed->update_time()),
            absl::Hours(72));
  auto again = Claim(open.id(), v);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->update_time().seconds(), claimed->update_time().seconds());
  EXPECT_EQ(Reason(Confirm(open.id()).status()), "WISH_STATE");
  ASSERT_TRUE(Fulfil(open.id()).ok());
  auto confirmed = Confirm(open.id());
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->state(), v1::WISH_CONFIRMED);
  EXPECT_EQ(confirmed->transfer_id(), "wish/" + open.id());
  EXPECT_EQ(confirmed->confirmation_note(), "thank you");
  auto twice = Confirm(open.id());
  ASSERT_TRUE(twice.ok()) << twice.status();
  EXPECT_EQ(Balance("volunteer/" + v), 5);
  EXPECT_EQ(Balance("community/wa1/s1/c1/issuing"), -5);
  auto got = Get(open.id());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->transfer_id(), "wish/" + open.id());
  // The service's own transfer id cannot be taken by a caller.
  EXPECT_EQ(Reason(Transfer("wish/x", "community/wa1/s1/c1/issuing", "volunteer/" + v, 1).status()),
            "TRANSFER_ID_RESERVED");
}

TEST_F(WishTest, APartyMemberOrAGroupClaimsThroughAVolunteer) {
  const std::string member = VolunteerId("wa2/s1/c1", "mb_wish_1");
  const std::string leader = VolunteerId("wa2/s1/c1");
  const std::string other = VolunteerId("wa2/s1/c1");
  v1::CreateTeamRequest team;
  team.mutable_team()->set_community_path("wa2/s1/c1");
  team.mutable_team()->set_display_name("patrol");
  team.mutable_team()->add_leader_volunteer_ids(leader);
  auto made = Rpc(*volunteers_, &v1::VolunteerService::Stub::CreateTeam, team);
  ASSERT_TRUE(made.ok()) << made.status();

  const v1::Wish a = Open("wa2/s1/c1", 3);
  auto unknown = Claim(a.id(), "", "mb_not_a_volunteer");
  EXPECT_EQ(Reason(unknown.status()), "MEMBER_NOT_VOLUNTEER");
  EXPECT_EQ(ErrorField(unknown.status()).value_or(""), "member_id");
  auto by_member = Claim(a.id(), "", "mb_wish_1");
  ASSERT_TRUE(by_member.ok()) << by_member.status();
  EXPECT_EQ(by_member->claimer_kind(), v1::CLAIMER_PARTY_MEMBER);
  EXPECT_EQ(by_member->claimer_volunteer_id(), member);
  EXPECT_EQ(by_member->claimer_member_id(), "mb_wish_1");

  const v1::Wish b = Open("wa2/s1/c1", 4);
  EXPECT_EQ(Reason(Claim(b.id(), other, "", made->id()).status()), "NOT_TEAM_LEADER");
  auto by_group = Claim(b.id(), leader, "", made->id());
  ASSERT_TRUE(by_group.ok()) << by_group.status();
  EXPECT_EQ(by_group->claimer_kind(), v1::CLAIMER_GROUP);
  EXPECT_EQ(by_group->claimer_team_id(), made->id());
  EXPECT_EQ(Reason(Claim(b.id(), other).status()), "WISH_ALREADY_CLAIMED");
  ASSERT_TRUE(Fulfil(b.id()).ok());
  ASSERT_TRUE(Confirm(b.id()).ok());
  EXPECT_EQ(Balance("volunteer/" + leader), 4);
  EXPECT_EQ(Balance("volunteer/" + other), 0);
}

TEST_F(WishTest, OneOfManyConcurrentClaimersWins) {
  const v1::Wish w = Open("wa3/s1/c1", 2);
  std::vector<std::string> claimers;
  for (int i = 0; i < 8; ++i) claimers.push_back(VolunteerId("wa3/s1/c1"));
  std::atomic<int> won{0}, refused{0};
  std::vector<std::thread> threads;
  for (const std::string& v : claimers) {
    threads.emplace_back([&, v] {
      auto claimed = Claim(w.id(), v);
      if (claimed.ok()) {
        ++won;
      } else if (Reason(claimed.status()) == "WISH_ALREADY_CLAIMED") {
        ++refused;
      } else {
        ADD_FAILURE() << claimed.status();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(refused.load(), 7);
}

TEST_F(WishTest, AClaimNotFulfilledInTimeLapsesAndTheWishReopens) {
  const std::string first = VolunteerId("wa4/s1/c1");
  const std::string second = VolunteerId("wa4/s1/c1");
  const v1::Wish w = Open("wa4/s1/c1", 2);
  ASSERT_TRUE(Claim(w.id(), first).ok());
  SweepAfter(absl::Hours(71));
  EXPECT_EQ(Get(w.id())->state(), v1::WISH_CLAIMED);
  SweepAfter(absl::Hours(73));
  auto reopened = Get(w.id());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->state(), v1::WISH_PUBLISHED);
  EXPECT_EQ(reopened->lapsed_claims(), 1);
  EXPECT_EQ(reopened->claimer_volunteer_id(), "");
  auto taken = Claim(w.id(), second);
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_EQ(taken->claimer_volunteer_id(), second);
}

TEST_F(WishTest, UnclaimedWishesExpireOrEscalateOnceToTheirStreet) {
  const v1::Wish expiring = Open("wa5/s1/c1", 1, v1::UNCLAIMED_EXPIRE);
  const v1::Wish escalating = Open("wa5/s1/c1", 1, v1::UNCLAIMED_ESCALATE);
  // More than one batch (the suite's sweeper takes 3 at a time).
  std::vector<v1::Wish> more;
  for (int i = 0; i < 4; ++i) more.push_back(Open("wa5/s1/c2", 1));
  SweepAfter(absl::Hours(24 * 14 + 1));
  EXPECT_EQ(Get(expiring.id())->state(), v1::WISH_EXPIRED);
  for (const v1::Wish& w : more) EXPECT_EQ(Get(w.id())->state(), v1::WISH_EXPIRED);
  auto escalated = Get(escalating.id());
  ASSERT_TRUE(escalated.ok());
  EXPECT_EQ(escalated->state(), v1::WISH_ESCALATED);
  EXPECT_EQ(escalated->escalated_to_path(), "wa5/s1");
  const std::string v = VolunteerId("wa5/s1/c1");
  EXPECT_EQ(Reason(Claim(expiring.id(), v).status()), "WISH_STATE");
  SweepAfter(absl::Hours(24 * 28 + 2));
  EXPECT_EQ(Get(escalating.id())->state(), v1::WISH_EXPIRED);
  v1::ListWishesRequest list;
  list.set_community_path("wa5/s1/c2");
  list.set_state(v1::WISH_EXPIRED);
  list.set_page_size(3);
  auto page = Rpc(*wishes_, &v1::WishService::Stub::ListWishes, list);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->wishes_size(), 3);
  EXPECT_FALSE(page->next_page_token().empty());
}

TEST_F(WishTest, AVerifierRejectsWithAReasonAndStreetsSeeOnlyTheirOwn) {
  auto w = Collect("wa6/s1/c1", 1);
  ASSERT_TRUE(w.ok()) << w.status();
  v1::VerifyWishRequest verify;
  verify.set_id(w->id());
  auto bare = Rpc(*wishes_, &v1::WishService::Stub::VerifyWish, verify);
  EXPECT_EQ(ErrorField(bare.status()).value_or(""), "reason");
  verify.set_reason("a commercial request, not a resident's need");
  auto rejected = Rpc(*wishes_, &v1::WishService::Stub::VerifyWish, verify);
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->state(), v1::WISH_REJECTED);
  EXPECT_EQ(Reason(Publish(w->id()).status()), "WISH_STATE");
  EXPECT_EQ(Reason(Collect("wa6/s2/c1", 1, v1::UNCLAIMED_EXPIRE, "wa6/s1").status()),
            "OUT_OF_SCOPE");
  v1::WishRequest get;
  get.set_id(w->id());
  EXPECT_EQ(Reason(Rpc(*wishes_, &v1::WishService::Stub::GetWish, get, "wa6/s2").status()),
            "OUT_OF_SCOPE");
  EXPECT_TRUE(Rpc(*wishes_, &v1::WishService::Stub::GetWish, get, "wa6/s1").ok());
}

}  // namespace
}  // namespace grassroots::volunteer::testing
