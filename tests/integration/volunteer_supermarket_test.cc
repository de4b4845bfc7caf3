// The love supermarket against a real MariaDB: a redemption debits the
// points and takes the stock in one transaction (a shortfall of either
// leaves both untouched), its id makes it idempotent, a cancellation gives
// both back once, and many clients redeeming, cancelling and replaying on
// one hot good and a few volunteers end with stock and balances matching
// their own log.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

class SupermarketTest : public VolunteerServiceTest {
 protected:
  // A volunteer of the community holding `points`.
  v1::Volunteer Funded(const std::string& community, int64_t points) {
    auto v = NewVolunteer(community);
    EXPECT_TRUE(v.ok()) << v.status();
    auto issuing = Open(v1::ACCOUNT_KIND_ISSUING, community);
    EXPECT_TRUE(issuing.ok()) << issuing.status();
    EXPECT_TRUE(
        Transfer(absl::StrCat("fund-", v->id()), issuing->id(), v->account_id(), points).ok());
    return *v;
  }

  v1::Good NewGood(const std::string& community, const std::string& name, int64_t price,
                   int64_t stock) {
    v1::CreateGoodRequest request;
    request.mutable_good()->set_community_path(community);
    request.mutable_good()->set_display_name(name);
    request.mutable_good()->set_price(price);
    request.mutable_good()->set_initial_stock(stock);
    auto good = Rpc(*supermarket_, &v1::SupermarketService::Stub::CreateGood, request);
    EXPECT_TRUE(good.ok()) << good.status();
    return good.ok() ? *good : v1::Good();
  }

  absl::StatusOr<v1::Redemption> Redeem(const std::string& id, const std::string& volunteer,
                                        const std::string& good, int64_t quantity) const {
    v1::RedeemRequest request;
    request.mutable_redemption()->set_id(id);
    request.mutable_redemption()->set_volunteer_id(volunteer);
    request.mutable_redemption()->set_good_id(good);
    request.mutable_redemption()->set_quantity(quantity);
    return Rpc(*supermarket_, &v1::SupermarketService::Stub::Redeem, request);
  }

  absl::StatusOr<v1::Redemption> Cancel(const std::string& id) const {
    v1::CancelRedemptionRequest request;
    request.set_id(id);
    return Rpc(*supermarket_, &v1::SupermarketService::Stub::CancelRedemption, request);
  }

  int64_t Stock(const std::string& good) const {
    v1::GetGoodRequest request;
    request.set_id(good);
    auto got = Rpc(*supermarket_, &v1::SupermarketService::Stub::GetGood, request);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? got->stock() : -1;
  }
};

TEST_F(SupermarketTest, ARedemptionDebitsPointsAndTakesStockTogether) {
  const std::string community = "sa1/s1/c1";
  v1::Volunteer v = Funded(community, 20);
  v1::Good oil = NewGood(community, "食用油 5L", 4, 3);
  const std::string market = "community/sa1/s1/c1/supermarket";
  auto first = Redeem("sa1-1", v.id(), oil.id(), 2);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->points(), 8);
  EXPECT_EQ(first->transfer_id(), "redemption/sa1-1");
  EXPECT_EQ(Balance(v.account_id()), 12);
  EXPECT_EQ(Balance(market), 8);
  EXPECT_EQ(Stock(oil.id()), 1);
  // The same request again changes nothing; another under its id is refused.
  auto replay = Redeem("sa1-1", v.id(), oil.id(), 2);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->create_time().nanos(), first->create_time().nanos());
  EXPECT_EQ(Balance(v.account_id()), 12);
  EXPECT_EQ(Reason(Redeem("sa1-1", v.id(), oil.id(), 1).status()), "REDEMPTION_ID_REUSED");
  // Not enough stock: the points stay where they were.
  auto oversold = Redeem("sa1-2", v.id(), oil.id(), 2);
  EXPECT_EQ(Reason(oversold.status()), "OUT_OF_STOCK");
  EXPECT_EQ(Balance(v.account_id()), 12);
  ASSERT_TRUE(Redeem("sa1-3", v.id(), oil.id(), 1).ok());
  EXPECT_EQ(Stock(oil.id()), 0);
  // Not enough points: the stock stays.
  v1::Good rice = NewGood(community, "大米 10kg", 9, 5);
  EXPECT_EQ(Reason(Redeem("sa1-4", v.id(), rice.id(), 1).status()), "INSUFFICIENT_BALANCE");
  EXPECT_EQ(Stock(rice.id()), 5);
  // Cancelling gives both back, once.
  auto cancelled = Cancel("sa1-1");
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), v1::REDEMPTION_CANCELLED);
  EXPECT_EQ(cancelled->reversal_transfer_id(), "redemption/sa1-1/cancel");
  EXPECT_TRUE(Cancel("sa1-1").ok());
  EXPECT_EQ(Balance(v.account_id()), 16);
  EXPECT_EQ(Stock(oil.id()), 2);
  EXPECT_EQ(Reason(Cancel("sa1-none").status()), "REDEMPTION_NOT_FOUND");
  // A restock under a request id adds once.
  v1::RestockGoodRequest restock;
  restock.set_good_id(rice.id());
  restock.set_quantity(4);
  restock.set_request_id("sa1-restock");
  for (int i = 0; i < 2; ++i) {
    auto more = Rpc(*supermarket_, &v1::SupermarketService::Stub::RestockGood, restock);
    ASSERT_TRUE(more.ok()) << more.status();
    EXPECT_EQ(more->stock(), 9);
  }
  EXPECT_EQ(Stock(rice.id()), 9);
  EXPECT_EQ(Reason(Redeem("sa1-5", v.id(), rice.id(), 1).status()), "OK");
  // Scope: another street sees no such redemption.
  v1::GetRedemptionRequest get;
  get.set_id("sa1-5");
  EXPECT_EQ(
      Reason(
          Rpc(*supermarket_, &v1::SupermarketService::Stub::GetRedemption, get, "sa1/s2").status()),
      "OUT_OF_SCOPE");
}

// The concurrency test: 64 clients for 30 s redeem, replay their
// redemption ids and cancel, on 6 volunteers' accounts and 2 goods, so
// that almost every call contends. Afterwards each stock and balance is
// what the clients' own log of answers says (and TearDown's checker finds
// nothing).
TEST_F(SupermarketTest, ManyClientsOnHotGoodsNeitherOversellNorDoubleSpend) {
  constexpr int kClients = 64;
  constexpr absl::Duration kRunFor = absl::Seconds(30);
  constexpr int64_t kPoints = 300, kStock = 200;
  const std::string community = "sx1/s1/c1";
  std::vector<v1::Volunteer> volunteers;
  for (int i = 0; i < 6; ++i) volunteers.push_back(Funded(community, kPoints));
  const std::vector<v1::Good> goods = {NewGood(community, "爱心礼包", 2, kStock),
                                       NewGood(community, "大米 5kg", 3, kStock)};
  struct Made {
    v1::Redemption redemption;
    bool cancelled = false;
  };
  absl::Mutex mu;
  std::map<std::string, Made> log;  // guarded by mu
  std::vector<std::string> ids;     // log's keys in the order made, guarded by mu
  std::atomic<int> replays{0}, cancels{0};
  const absl::Time stop = absl::Now() + kRunFor;
  auto client = [&](int n) {
    std::mt19937 rng(77 + n);
    for (int i = 0; absl::Now() < stop; ++i) {
      const int op = std::uniform_int_distribution<int>(0, 9)(rng);
      std::optional<Made> old;
      {
        absl::MutexLock lock(&mu);
        if (!ids.empty()) {
          old = log[ids[std::uniform_int_distribution<size_t>(0, ids.size() - 1)(rng)]];
        }
      }
      if (op <= 5 || !old) {
        const v1::Volunteer& v = volunteers[std::uniform_int_distribution<size_t>(0, 5)(rng)];
        const v1::Good& good = goods[std::uniform_int_distribution<size_t>(0, 1)(rng)];
        const std::string id = absl::StrCat("sx-", n, "-", i);
        auto made = Redeem(id, v.id(), good.id(), std::uniform_int_distribution<int>(1, 3)(rng));
        if (made.ok()) {
          absl::MutexLock lock(&mu);
          log[id].redemption = *made;
          ids.push_back(id);
        } else if (Reason(made.status()) != "INSUFFICIENT_BALANCE" &&
                   Reason(made.status()) != "OUT_OF_STOCK") {
          ADD_FAILURE() << made.status();
        }
      } else if (op <= 7) {
        const v1::Redemption& r = old->redemption;
        auto again = Redeem(r.id(), r.volunteer_id(), r.good_id(), r.quantity());
        EXPECT_TRUE(again.ok()) << again.status();
        if (again.ok()) {
          EXPECT_EQ(again->points(), r.points());
        }
        ++replays;
      } else {
        auto cancelled = Cancel(old->redemption.id());
        if (cancelled.ok()) {
          absl::MutexLock lock(&mu);
          log[old->redemption.id()].cancelled = true;
          ++cancels;
        } else {
          ADD_FAILURE() << cancelled.status();
        }
      }
    }
  };
  std::vector<std::thread> clients;
  for (int n = 0; n < kClients; ++n) clients.emplace_back(client, n);
  for (std::thread& t : clients) t.join();

  std::map<std::string, int64_t> taken, spent;
  for (const auto& [id, made] : log) {
    if (made.cancelled) continue;
    taken[made.redemption.good_id()] += made.redemption.quantity();
    spent[made.redemption.volunteer_id()] += made.redemption.points();
  }
  for (const v1::Good& good : goods) {
    EXPECT_EQ(Stock(good.id()), kStock - taken[good.id()]) << good.id();
  }
  for (const v1::Volunteer& v : volunteers) {
    EXPECT_EQ(Balance(v.account_id()), kPoints - spent[v.id()]) << v.id();
  }
  // Work done, not speed: enough of each kind for the totals to mean something.
  EXPECT_GT(log.size(), 100u);
  EXPECT_GT(replays.load(), 20);
  EXPECT_GT(cancels.load(), 20);
  std::printf("hot goods: %zu redemptions, %d replays, %d cancellations by %d clients\n",
              log.size(), replays.load(), cancels.load(), kClients);
}
}  // namespace
}  // namespace grassroots::volunteer::testing
