// Points expiry against a real MariaDB, on a clock the tests move years
// ahead: oldest points first (what was spent came out of the old points),
// a community's own period or the default of 36 months, transfers to the
// expiry account (never an edited balance), a rerun or concurrent runs
// expiring nothing more, and no run dated ahead of tomorrow.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/status/errors.h"
#include "common/time/civil_date.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

class ExpiryTest : public VolunteerServiceTest {
 protected:
  void SetUp() override { ExpiryClock(*suite_).Set(absl::Now()); }

  // A volunteer of `community` who earned `earned` and spent `spent`.
  std::string Holder(const std::string& community, int64_t earned, int64_t spent) {
    auto v = NewVolunteer(community);
    EXPECT_TRUE(v.ok()) << v.status();
    if (!v.ok()) return "";
    EXPECT_TRUE(Open(v1::ACCOUNT_KIND_ISSUING, community).ok());
    EXPECT_TRUE(Open(v1::ACCOUNT_KIND_SUPERMARKET, community).ok());
    auto in =
        Transfer("earn-" + v->id(), "community/" + community + "/issuing", v->account_id(), earned);
    EXPECT_TRUE(in.ok()) << in.status();
    if (spent > 0) {
      auto out = Transfer("spend-" + v->id(), v->account_id(),
                          "community/" + community + "/supermarket", spent);
      EXPECT_TRUE(out.ok()) << out.status();
    }
    return v->account_id();
  }
  absl::StatusOr<v1::ExpirePointsResponse> Expire(absl::Duration ahead, const std::string& scope) {
    ExpiryClock(*suite_).Set(absl::Now() + ahead);
    v1::ExpirePointsRequest request;
    request.set_as_of_date(
        DateText(absl::ToCivilDay(ExpiryClock(*suite_).Now(), absl::UTCTimeZone())));
    return Rpc(*expiry_, &v1::PointsExpiryService::Stub::ExpirePoints, request, scope);
  }
};

constexpr absl::Duration kThreeYears = absl::Hours(24 * (3 * 365 + 2));

TEST_F(ExpiryTest, OldPointsExpireOldestFirstByTransferToTheExpiryAccount) {
  const std::string account = Holder("ex1/s1/c1", 10, 4);
  auto today = Expire(absl::ZeroDuration(), "ex1");
  ASSERT_TRUE(today.ok()) << today.status();
  EXPECT_EQ(today->points_expired(), 0);
  EXPECT_EQ(today->accounts_checked(), 1);
  auto later = Expire(kThreeYears, "ex1");
  ASSERT_TRUE(later.ok()) << later.status();
  // The 4 spent came out of the 10 old points: 6 expire.
  EXPECT_EQ(later->points_expired(), 6);
  EXPECT_EQ(later->accounts_expired(), 1);
  EXPECT_EQ(Balance(account), 0);
  EXPECT_EQ(Balance("community/ex1/s1/c1/expiry"), 6);
  v1::ListAccountEntriesRequest entries;
  entries.set_account_id(account);
  auto history = Rpc(*ledger_, &v1::LedgerService::Stub::ListAccountEntries, entries);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_GE(history->entries_size(), 1);
  EXPECT_EQ(history->entries(0).transfer_id().substr(0, 7), "expiry/");
  EXPECT_EQ(history->entries(0).amount(), -6);
  auto again = Expire(kThreeYears, "ex1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->points_expired(), 0);
  EXPECT_NE(ScrapeMetrics(*suite_).find("volunteer_points_expired_total{street=\"ex1/s1\"} 6"),
            std::string::npos);
}

TEST_F(ExpiryTest, ACommunitysOwnPeriodReplacesTheDefault) {
  v1::GetExpiryRuleRequest get;
  get.set_community_path("ex2/s1/c1");
  auto standard = Rpc(*expiry_, &v1::PointsExpiryService::Stub::GetExpiryRule, get);
  ASSERT_TRUE(standard.ok()) << standard.status();
  EXPECT_EQ(standard->months(), 36);
  EXPECT_FALSE(standard->configured());
  v1::SetExpiryRuleRequest set;
  set.mutable_rule()->set_community_path("ex2/s1/c1");
  set.mutable_rule()->set_months(12);
  auto rule = Rpc(*expiry_, &v1::PointsExpiryService::Stub::SetExpiryRule, set);
  ASSERT_TRUE(rule.ok()) << rule.status();
  EXPECT_TRUE(rule->configured());
  set.mutable_rule()->set_months(0);
  EXPECT_EQ(ErrorField(Rpc(*expiry_, &v1::PointsExpiryService::Stub::SetExpiryRule, set).status())
                .value_or(""),
            "rule.months");

  const std::string short_lived = Holder("ex2/s1/c1", 7, 0);
  const std::string standard_lived = Holder("ex2/s1/c2", 7, 0);
  auto run = Expire(absl::Hours(24 * 400), "ex2");
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->points_expired(), 7);
  EXPECT_EQ(Balance(short_lived), 0);
  EXPECT_EQ(Balance(standard_lived), 7);
}

TEST_F(ExpiryTest, ConcurrentRunsExpireEachPointOnce) {
  for (int i = 0; i < 5; ++i) Holder("ex3/s1/c1", 3 + i, 1);
  std::atomic<int64_t> expired{0};
  ExpiryClock(*suite_).Set(absl::Now() + kThreeYears);
  std::vector<std::thread> runs;
  for (int i = 0; i < 4; ++i) {
    runs.emplace_back([&] {
      v1::ExpirePointsRequest request;
      request.set_as_of_date(
          DateText(absl::ToCivilDay(absl::Now() + kThreeYears, absl::UTCTimeZone())));
      auto run = Rpc(*expiry_, &v1::PointsExpiryService::Stub::ExpirePoints, request, "ex3");
      ASSERT_TRUE(run.ok()) << run.status();
      expired += run->points_expired();
    });
  }
  for (std::thread& t : runs) t.join();
  // 3..7 earned, 1 spent each.
  EXPECT_EQ(expired.load(), 2 + 3 + 4 + 5 + 6);
  EXPECT_EQ(Balance("community/ex3/s1/c1/expiry"), 20);
}

TEST_F(ExpiryTest, NoRunAheadOfTomorrowNorOutsideTheCallersStreet) {
  v1::ExpirePointsRequest request;
  request.set_as_of_date(DateText(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 2));
  auto ahead = Rpc(*expiry_, &v1::PointsExpiryService::Stub::ExpirePoints, request);
  EXPECT_EQ(Reason(ahead.status()), "AS_OF_DATE_IN_FUTURE");
  v1::GetExpiryRuleRequest get;
  get.set_community_path("ex4/s2/c1");
  EXPECT_EQ(
      Reason(Rpc(*expiry_, &v1::PointsExpiryService::Stub::GetExpiryRule, get, "ex4/s1").status()),
      "OUT_OF_SCOPE");
  // The expiry ids are the service's own.
  EXPECT_EQ(Reason(Transfer("expiry/x/2020-01-01", "community/ex4/s1/c1/issuing",
                            "community/ex4/s1/c1/expiry", 1)
                       .status()),
            "TRANSFER_ID_RESERVED");
}

}  // namespace
}  // namespace grassroots::volunteer::testing
