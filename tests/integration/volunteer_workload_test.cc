// A randomised workload replayable from a seed: concurrent clients sign up,
// record and confirm attendances, transfer, redeem, cancel, reverse and
// replay old ids, each client drawing its operations from the seed, and
// the invariant checker runs every 1,000 operations while they write.
// GRASSROOTS_WORKLOAD_SEED=<n> replays a seed (each client's sequence of
// operations is the same; their interleaving is the scheduler's).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/time/proto_time.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

constexpr int kClients = 16;
// The suite's size; tests/bench/volunteer_workload.sh runs 1,000,000 with
// the checker every 10,000 (GRASSROOTS_WORKLOAD_OPERATIONS and
// GRASSROOTS_WORKLOAD_CHECK_EVERY).
constexpr int kDefaultOperations = 10000;
constexpr int kDefaultCheckEvery = 1000;

int FromEnvironment(const char* name, int otherwise) {
  int value = otherwise;
  if (const char* text = std::getenv(name)) {
    EXPECT_TRUE(absl::SimpleAtoi(text, &value) && value > 0) << name << "=" << text;
  }
  return value;
}

uint64_t Seed() {
  uint64_t seed = 20261202;
  if (const char* text = std::getenv("GRASSROOTS_WORKLOAD_SEED")) {
    EXPECT_TRUE(absl::SimpleAtoi(text, &seed)) << "GRASSROOTS_WORKLOAD_SEED=" << text;
  }
  return seed;
}

// Refusals the rules allow for a random operation; anything else fails.
bool Expected(const absl::Status& status) {
  static const char* kAllowed[] = {"INSUFFICIENT_BALANCE", "OUT_OF_STOCK", "ACTIVITY_FULL",
                                   "ATTENDANCE_STATE", "TRANSFER_ALREADY_REVERSED"};
  for (const char* reason : kAllowed) {
    if (Reason(status) == reason) return true;
  }
  return false;
}

// Ids made so far, for replays, cancellations, reversals and confirmations.
struct Made {
  absl::Mutex mu;
  std::vector<v1::Transfer> transfers ABSL_GUARDED_BY(mu);
  std::vector<v1::Redemption> redemptions ABSL_GUARDED_BY(mu);
  std::vector<std::string> attendances ABSL_GUARDED_BY(mu);

  template <typename T>
  std::optional<T> Pick(std::vector<T>& from, std::mt19937_64& rng)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (from.empty()) return std::nullopt;
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
  }
};

TEST_F(VolunteerServiceTest, ARandomWorkloadFromASeedKeepsEveryInvariant) {
  const uint64_t seed = Seed();
  SCOPED_TRACE(absl::StrCat("replay with GRASSROOTS_WORKLOAD_SEED=", seed));
  const std::string community = "wl1/s1/c1";
  auto issuing = Open(v1::ACCOUNT_KIND_ISSUING, community);
  ASSERT_TRUE(issuing.ok()) << issuing.status();
  v1::SetPointsRuleRequest rule;
  rule.mutable_rule()->set_community_path(community);
  rule.mutable_rule()->set_activity_type("*");
  rule.mutable_rule()->set_points_per_activity(2);
  rule.mutable_rule()->set_points_per_hour(1);
  ASSERT_TRUE(Rpc(*activities_, &v1::ActivityService::Stub::SetPointsRule, rule).ok());
  std::vector<v1::Volunteer> volunteers;
  for (int i = 0; i < 6; ++i) {
    auto v = NewVolunteer(community);
    ASSERT_TRUE(v.ok()) << v.status();
    volunteers.push_back(*v);
  }
  std::vector<std::string> activities, goods;
  for (int i = 0; i < 4; ++i) {
    v1::CreateActivityRequest request;
    v1::Activity* a = request.mutable_activity();
    a->set_community_path(community);
    a->set_title(absl::StrCat("Activity ", i));
    a->set_activity_type("patrol");
    a->set_place("Square");
    a->set_capacity(3);
    ToProtoTime(absl::Now() - absl::Hours(2), a->mutable_start_time());
    ToProtoTime(absl::Now() + absl::Hours(2), a->mutable_end_time());
    auto made = Rpc(*activities_, &v1::ActivityService::Stub::CreateActivity, request);
    ASSERT_TRUE(made.ok()) << made.status();
    activities.push_back(made->id());
    v1::CreateGoodRequest good;
    good.mutable_good()->set_community_path(community);
    good.mutable_good()->set_display_name(absl::StrCat("Good ", i));
    good.mutable_good()->set_price(i + 1);
    good.mutable_good()->set_initial_stock(40);
    auto g = Rpc(*supermarket_, &v1::SupermarketService::Stub::CreateGood, good);
    ASSERT_TRUE(g.ok()) << g.status();
    goods.push_back(g->id());
  }

  const int operations = FromEnvironment("GRASSROOTS_WORKLOAD_OPERATIONS", kDefaultOperations);
  const int check_every = FromEnvironment("GRASSROOTS_WORKLOAD_CHECK_EVERY", kDefaultCheckEvery);
  Made made;
  std::atomic<int> done{0}, checks{0}, refused{0};
  auto client = [&](int n) {
    std::mt19937_64 rng(seed * 1000 + n);
    auto any = [&](const auto& from) {
      return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
    };
    for (int i = 0;; ++i) {
      const int operation = ++done;
      if (operation > operations) break;
      if (operation % check_every == 0) {
        auto check = Check();
        ASSERT_TRUE(check.ok()) << check.status();
        ++checks;
        for (const v1::Violation& v : check->violations()) {
          ADD_FAILURE() << v.rule() << " " << v.subject() << ": " << v.detail();
        }
      }
      const std::string id = absl::StrCat("wl-", n, "-", i);
      const v1::Volunteer& v = any(volunteers);
      absl::Status status;
      switch (std::uniform_int_distribution<int>(0, 8)(rng)) {
        case 0: {
          auto t = Transfer(id, issuing->id(), v.account_id(),
                            std::uniform_int_distribution<int>(1, 6)(rng));
          status = t.status();
          if (t.ok()) {
            absl::MutexLock lock(&made.mu);
            made.transfers.push_back(*t);
          }
          break;
        }
        case 1: {
          v1::RedeemRequest request;
          request.mutable_redemption()->set_id(id);
          request.mutable_redemption()->set_volunteer_id(v.id());
          request.mutable_redemption()->set_good_id(any(goods));
          request.mutable_redemption()->set_quantity(std::uniform_int_distribution<int>(1, 2)(rng));
          auto r = Rpc(*supermarket_, &v1::SupermarketService::Stub::Redeem, request);
          status = r.status();
          if (r.ok()) {
            absl::MutexLock lock(&made.mu);
            made.redemptions.push_back(*r);
          }
          break;
        }
        case 2:
        case 4: {
          std::optional<v1::Redemption> old;
          {
            absl::MutexLock lock(&made.mu);
            old = made.Pick(made.redemptions, rng);
          }
          if (!old) break;
          if (std::uniform_int_distribution<int>(0, 1)(rng) == 0) {
            v1::CancelRedemptionRequest cancel;
            cancel.set_id(old->id());
            status = Rpc(*supermarket_, &v1::SupermarketService::Stub::CancelRedemption, cancel)
                         .status();
          } else {
            v1::RedeemRequest again;
            *again.mutable_redemption() = *old;
            status = Rpc(*supermarket_, &v1::SupermarketService::Stub::Redeem, again).status();
          }
          break;
        }
        case 3: {
          std::optional<v1::Transfer> old;
          {
            absl::MutexLock lock(&made.mu);
            old = made.Pick(made.transfers, rng);
          }
          if (!old) break;
          status =
              Transfer(old->id(), old->debit_account_id(), old->credit_account_id(), old->amount())
                  .status();
          break;
        }
        case 5: {
          v1::SignUpRequest request;
          request.set_activity_id(any(activities));
          request.set_volunteer_id(v.id());
          auto a = Rpc(*activities_, &v1::ActivityService::Stub::SignUp, request);
          status = a.status();
          if (a.ok()) {
            absl::MutexLock lock(&made.mu);
            made.attendances.push_back(a->id());
          }
          break;
        }
        case 6: {
          std::optional<std::string> attendance;
          {
            absl::MutexLock lock(&made.mu);
            attendance = made.Pick(made.attendances, rng);
          }
          if (!attendance) break;
          v1::RecordTimeRequest at;
          at.set_attendance_id(*attendance);
          ToProtoTime(absl::Now() - absl::Minutes(90), at.mutable_time());
          status = Rpc(*activities_, &v1::ActivityService::Stub::CheckIn, at).status();
          at.clear_time();
          if (status.ok()) {
            status = Rpc(*activities_, &v1::ActivityService::Stub::CheckOut, at).status();
          }
          v1::AttendanceRequest confirm;
          confirm.set_attendance_id(*attendance);
          if (status.ok() || Expected(status)) {
            status =
                Rpc(*activities_, &v1::ActivityService::Stub::ConfirmAttendance, confirm).status();
          }
          break;
        }
        case 7: {
          const v1::Volunteer& to = any(volunteers);
          if (to.id() == v.id()) break;
          status = Transfer(id, v.account_id(), to.account_id(), 1).status();
          break;
        }
        default: {
          std::optional<v1::Transfer> old;
          {
            absl::MutexLock lock(&made.mu);
            old = made.Pick(made.transfers, rng);
          }
          if (!old) break;
          v1::ReverseTransferRequest reverse;
          reverse.set_id(absl::StrCat(old->id(), ".r"));
          reverse.set_transfer_id(old->id());
          status = Rpc(*ledger_, &v1::LedgerService::Stub::ReverseTransfer, reverse).status();
          break;
        }
      }
      if (!status.ok() && !Expected(status)) ADD_FAILURE() << id << ": " << status;
      if (!status.ok()) ++refused;
    }
  };
  std::vector<std::thread> clients;
  for (int n = 0; n < kClients; ++n) clients.emplace_back(client, n);
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(checks.load(), operations / check_every);
  auto totals = Check();
  ASSERT_TRUE(totals.ok());
  // Most operations did something: the workload is not all refusals.
  EXPECT_LT(refused.load(), operations / 2);
  EXPECT_GT(totals->transfers_checked(), 500);
  std::printf("seed %llu: %d operations, %d refused by the rules, %lld transfers\n",
              static_cast<unsigned long long>(seed), operations, refused.load(),
              static_cast<long long>(totals->transfers_checked()));
}

}  // namespace
}  // namespace grassroots::volunteer::testing
