// Many clients at once on a few hot accounts: issues, redemptions, moves
// between volunteers, linked pairs, reversals raced by several clients, and
// replays of ids already used. Afterwards every balance equals what the
// clients' own log of confirmed transfers says, no transfer was reversed
// twice, and the checker (TearDown) finds nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

constexpr int kClients = 32;
constexpr absl::Duration kRunFor = absl::Seconds(4);
// The run goes on past kRunFor until this much has happened (a loaded
// machine is slower, and the test asserts on work done, never on speed),
// but never past kRunAtMost.
constexpr size_t kEnoughConfirmed = 250;
constexpr int kEnoughReplays = 25;
constexpr absl::Duration kRunAtMost = absl::Seconds(90);

// What the clients know: transfers confirmed to them, and ids whose outcome
// they did not learn (resolved by reading them afterwards).
class ClientLog {
 public:
  void Confirmed(const v1::Transfer& t) {
    absl::MutexLock lock(&mu_);
    confirmed_.emplace(t.id(), t);
  }
  void Unknown(const std::string& id) {
    absl::MutexLock lock(&mu_);
    unknown_.push_back(id);
  }
  // A confirmed plain transfer to replay or reverse (empty when none yet).
  std::optional<v1::Transfer> Pick(std::mt19937& rng) {
    absl::MutexLock lock(&mu_);
    if (confirmed_.empty()) return std::nullopt;
    auto it = confirmed_.begin();
    std::advance(it, std::uniform_int_distribution<size_t>(0, confirmed_.size() - 1)(rng) %
                         std::min<size_t>(confirmed_.size(), 64));
    return it->second;
  }
  std::map<std::string, v1::Transfer> confirmed() {
    absl::MutexLock lock(&mu_);
    return confirmed_;
  }
  std::vector<std::string> unknown() {
    absl::MutexLock lock(&mu_);
    return unknown_;
  }
  size_t confirmed_count() {
    absl::MutexLock lock(&mu_);
    return confirmed_.size();
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, v1::Transfer> confirmed_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> unknown_ ABSL_GUARDED_BY(mu_);
};

TEST_F(VolunteerServiceTest, HotAccountsUnderManyClientsKeepTheBooks) {
  const std::string community = "lx1/s1/c1";
  std::vector<std::string> accounts;
  for (v1::AccountKind kind : {v1::ACCOUNT_KIND_ISSUING, v1::ACCOUNT_KIND_SUPERMARKET}) {
    auto a = Open(kind, community);
    ASSERT_TRUE(a.ok()) << a.status();
    accounts.push_back(a->id());
  }
  const std::string issuing = accounts[0], market = accounts[1];
  std::vector<std::string> volunteers;
  for (int i = 0; i < 4; ++i) {
    auto v = NewVolunteer(community);
    ASSERT_TRUE(v.ok()) << v.status();
    volunteers.push_back(v->account_id());
  }

  ClientLog log;
  std::atomic<int> replays{0}, refusals{0}, reversal_races_lost{0};
  const absl::Time stop = absl::Now() + kRunFor;
  const absl::Time hard_stop = absl::Now() + kRunAtMost;
  auto running = [&] {
    const absl::Time now = absl::Now();
    if (now >= hard_stop) return false;
    return now < stop || log.confirmed_count() < kEnoughConfirmed ||
           replays.load() < kEnoughReplays;
  };
  auto client = [&](int n) {
    std::mt19937 rng(1000 + n);
    auto pick = [&](const std::vector<std::string>& from) {
      return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
    };
    auto amount = [&] { return std::uniform_int_distribution<int64_t>(1, 5)(rng); };
    // Applies the outcome of one call that made (or replayed) `made`.
    auto record = [&](const absl::StatusOr<v1::Transfer>& made, const std::string& id) {
      if (made.ok()) {
        log.Confirmed(*made);
      } else if (Reason(made.status()) == "INSUFFICIENT_BALANCE") {
        ++refusals;
      } else if (Reason(made.status()) == "TRANSFER_ALREADY_REVERSED") {
        ++reversal_races_lost;
      } else {
        ADD_FAILURE() << id << ": " << made.status();
        log.Unknown(id);
      }
    };
    for (int i = 0; running(); ++i) {
      const std::string id = absl::StrCat("hx-", n, "-", i);
      const int op = std::uniform_int_distribution<int>(0, 9)(rng);
      if (op <= 2) {
        record(Transfer(id, issuing, pick(volunteers), amount()), id);
      } else if (op <= 4) {
        record(Transfer(id, pick(volunteers), market, amount()), id);
      } else if (op == 5) {
        const size_t from = std::uniform_int_distribution<size_t>(0, 3)(rng);
        const size_t to = (from + std::uniform_int_distribution<size_t>(1, 3)(rng)) % 4;
        record(Transfer(id, volunteers[from], volunteers[to], amount()), id);
      } else if (op == 6) {
        // An issue and its redemption, linked.
        v1::CreateLinkedTransfersRequest request;
        const std::string v = pick(volunteers);
        const int64_t a = amount();
        for (auto [suffix, debit, credit] :
             {std::tuple{"a", issuing, v}, std::tuple{"b", v, market}}) {
          v1::Transfer* t = request.add_transfers();
          t->set_id(absl::StrCat(id, suffix));
          t->set_debit_account_id(debit);
          t->set_credit_account_id(credit);
          t->set_amount(a);
        }
        auto made = Rpc(*ledger_, &v1::LedgerService::Stub::CreateLinkedTransfers, request);
        if (made.ok()) {
          for (const v1::Transfer& t : made->transfers()) log.Confirmed(t);
        } else {
          record(made.status(), id);
        }
      } else if (op <= 8) {
        // A replay of a confirmed transfer answers as it did and moves nothing.
        auto old = log.Pick(rng);
        if (!old || !old->reverses_transfer_id().empty() || old->linked_group_id() != old->id())
          continue;
        auto again =
            Transfer(old->id(), old->debit_account_id(), old->credit_account_id(), old->amount());
        ASSERT_TRUE(again.ok()) << again.status();
        EXPECT_EQ(again->create_time().nanos(), old->create_time().nanos());
        ++replays;
      } else {
        // Several clients may race to reverse the same transfer: one wins.
        auto old = log.Pick(rng);
        if (!old || !old->reverses_transfer_id().empty()) continue;
        v1::ReverseTransferRequest request;
        request.set_id(absl::StrCat(old->id(), ".r", n));
        request.set_transfer_id(old->id());
        record(Rpc(*ledger_, &v1::LedgerService::Stub::ReverseTransfer, request), request.id());
      }
    }
  };
  std::vector<std::thread> clients;
  for (int n = 0; n < kClients; ++n) clients.emplace_back(client, n);
  for (std::thread& t : clients) t.join();

  auto confirmed = log.confirmed();
  for (const std::string& id : log.unknown()) {
    v1::GetTransferRequest get;
    get.set_id(id);
    auto found = Rpc(*ledger_, &v1::LedgerService::Stub::GetTransfer, get);
    if (found.ok()) confirmed.emplace(id, *found);
  }
  std::map<std::string, int64_t> expected;
  std::map<std::string, int> reversals;
  for (const auto& [id, t] : confirmed) {
    expected[t.debit_account_id()] -= t.amount();
    expected[t.credit_account_id()] += t.amount();
    if (!t.reverses_transfer_id().empty()) ++reversals[t.reverses_transfer_id()];
  }
  for (const auto& [original, count] : reversals) EXPECT_EQ(count, 1) << original;
  for (const std::string& account : {issuing, market}) {
    EXPECT_EQ(Balance(account), expected[account]) << account;
  }
  for (const std::string& account : volunteers) {
    EXPECT_EQ(Balance(account), expected[account]) << account;
  }
  EXPECT_GT(confirmed.size(), 200u);
  EXPECT_GT(replays.load(), 20);
  EXPECT_GT(refusals.load(), 0);  // the volunteers ran dry at times
  std::printf(
      "%zu transfers confirmed, %d replays, %d refused for balance, %d reversal races "
      "lost\n",
      confirmed.size(), replays.load(), refusals.load(), reversal_races_lost.load());
}

}  // namespace
}  // namespace grassroots::volunteer::testing
