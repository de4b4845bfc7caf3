// dualreg's stores against a real MariaDB (one schema for the suite): the
// rules that need the database (one active registration each, capacity of
// an order's take under concurrency, scope, idempotent creates, the outbox
// written with the confirmation, overdue flagging on a moved clock).
// orgs' checks are the handlers' and run in dualreg_e2e_tests.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/changes/change_feed_handler.h"
#include "common/status/errors.h"
#include "common/testing/private_mariadb.h"
#include "common/time/proto_time.h"
#include "grassroots/dualreg/v1/feed.grpc.pb.h"
#include "grassroots/volunteer/v1/credit.pb.h"
#include "services/dualreg/delivery_store.h"
#include "services/dualreg/evaluation_store.h"
#include "services/dualreg/order_store.h"
#include "services/dualreg/post_store.h"
#include "services/dualreg/registration_store.h"
#include "services/dualreg/report_store.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& dualreg_migrations();
}  // namespace grassroots::db

namespace grassroots::dualreg {
namespace {

using ::grassroots::testing::InProcessService;

std::string Reason(const absl::Status& s) { return ErrorReason(s).value_or(s.ToString()); }

// Saturday 4 July 2026, 10:00 in UTC+8.
const absl::Time kSaturdayTen =
    absl::FromCivil(absl::CivilMinute(2026, 7, 4, 2, 0), absl::UTCTimeZone());

struct Suite {
  std::unique_ptr<InProcessService> service;
  std::unique_ptr<ChangeFeedHandler<v1::ChangeFeedService>> feed;
};

class DualregStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite;
    suite_->service = std::make_unique<InProcessService>(
        "dualreg", ::grassroots::testing::FreshSchema("dualreg"),
        std::vector<const db::MigrationSet*>{&db::dualreg_migrations()});
    suite_->feed =
        std::make_unique<ChangeFeedHandler<v1::ChangeFeedService>>(suite_->service->env());
    suite_->service->Start({suite_->feed.get()});
  }
  static void TearDownTestSuite() {
    suite_->service->Stop();
    delete suite_;
  }

  DualregStoreTest()
      : env_(suite_->service->env()),
        registrations_(*env_.pool, *env_.changes),
        orders_(*env_.pool, *env_.changes, OrderClock{}, 5),
        deliveries_(*env_.pool),
        posts_(*env_.pool, *env_.changes) {}

  WriteContext Write(const std::string& actor = "branch", const std::string& request_id = "",
                     absl::Time now = kSaturdayTen - absl::Hours(20)) const {
    return WriteContext{actor, request_id, now};
  }

  int64_t Count(const std::string& sql) { return ::grassroots::testing::QueryInt(*env_.pool, sql); }

  // A registration of a member living in `community`, skilled in repair,
  // available on Saturdays 08:00-20:00 local time.
  v1::MemberRegistration Register(const std::string& community, const std::string& member,
                                  const std::string& skill = "repair") {
    v1::MemberRegistration m;
    m.set_member_id(member);
    m.set_employer_organisation_id("og_acme");
    m.set_employer_organisation_path("d/s/c/acme");
    m.set_community_id(absl::StrCat("ar_", community));
    m.set_community_path(community);
    m.set_volunteer_id(absl::StrCat("vl_", member));
    m.add_skills(skill);
    auto* slot = m.add_availability();
    slot->set_weekday(6);
    slot->set_start_minute(8 * 60);
    slot->set_end_minute(20 * 60);
    auto made = registrations_.RegisterMember("", Write(), m);
    EXPECT_TRUE(made.ok()) << made.status();
    return made.value_or(v1::MemberRegistration());
  }

  v1::Order NewOrder(const std::string& community, const std::string& skill = "repair") {
    v1::Order order;
    order.set_community_id(absl::StrCat("ar_", community));
    order.set_community_path(community);
    order.set_household_id("hh_1");
    order.set_skill(skill);
    order.set_description("the tap leaks");
    ToProtoTime(kSaturdayTen, order.mutable_requested_time());
    order.set_duration_minutes(60);
    auto made = orders_.Create("", Write("resident-1"), order);
    EXPECT_TRUE(made.ok()) << made.status();
    return made.value_or(v1::Order());
  }

  v1::Order Dispatch(const v1::Order& order, std::vector<std::string> to = {}, int max = 0) {
    v1::DispatchOrderRequest request;
    request.set_id(order.id());
    for (const std::string& id : to) request.add_registration_ids(id);
    request.set_max_members(max);
    auto done = orders_.Dispatch("", Write(), request);
    EXPECT_TRUE(done.ok()) << done.status();
    return done.value_or(v1::Order());
  }

  absl::StatusOr<v1::Order> Take(const v1::Order& order, const std::string& registration,
                                 const std::string& as_member = "") {
    v1::TakeOrderRequest request;
    request.set_id(order.id());
    request.set_registration_id(registration);
    return orders_.Take("", Write(), request, Actor{as_member, "member", false});
  }

  static Suite* suite_;
  const ServiceEnv& env_;
  RegistrationStore registrations_;
  OrderStore orders_;
  DeliveryStore deliveries_;
  PostStore posts_;
};

Suite* DualregStoreTest::suite_ = nullptr;

TEST_F(DualregStoreTest, AnEmployerHasOneRegistrationAtATimeAndCreatesAreIdempotent) {
  v1::UnitRegistration unit;
  unit.set_organisation_id("og_unit1");
  unit.set_organisation_name("Acme");
  unit.set_community_id("ar_u1");
  unit.set_community_path("d/s1/u1");
  unit.set_resources("a hall");
  unit.set_agreement("agreement");
  unit.set_valid_until("2026-12-31");
  unit.set_in_service_members(40);
  auto first = registrations_.RegisterUnit("d/s1", Write("branch", "req-u1"), unit);
  ASSERT_TRUE(first.ok()) << first.status();
  auto replay = registrations_.RegisterUnit("d/s1", Write("branch", "req-u1"), unit);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->id(), first->id());
  auto second = registrations_.RegisterUnit("d/s1", Write("branch", "req-u2"), unit);
  EXPECT_EQ(Reason(second.status()), "UNIT_ALREADY_REGISTERED");
  EXPECT_EQ(Reason(registrations_.RegisterUnit("d/s2", Write(), unit).status()), "OUT_OF_SCOPE");
  // Outside the scope it is hidden; a stale etag is refused.
  EXPECT_EQ(
      Reason(registrations_.GetUnit("d/s2", first->id(), absl::CivilDay(2026, 7, 1)).status()),
      "OUT_OF_SCOPE");
  EXPECT_EQ(
      registrations_.RenewUnit("d/s1", Write(), first->id(), "7", "2027-12-31", 41).status().code(),
      absl::StatusCode::kAborted);
  auto renewed =
      registrations_.RenewUnit("d/s1", Write(), first->id(), first->etag(), "2027-12-31", 41);
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  EXPECT_EQ(renewed->in_service_members(), 41);
  auto withdrawn =
      registrations_.WithdrawUnit("d/s1", Write(), first->id(), renewed->etag(), "moved away");
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->state(), v1::WITHDRAWN);
  EXPECT_TRUE(registrations_.RegisterUnit("d/s1", Write("branch", "req-u3"), unit).ok());
  EXPECT_EQ(Count(absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '", first->id(),
                               "'")),
            3);
}

TEST_F(DualregStoreTest, OneActiveRegistrationPerMemberUnderConcurrency) {
  std::atomic<int> made{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      v1::MemberRegistration m;
      m.set_member_id("mb_race");
      m.set_employer_organisation_id("og_acme");
      m.set_community_id("ar_race");
      m.set_community_path("d/s1/race");
      m.set_volunteer_id("vl_race");
      auto r = registrations_.RegisterMember("", Write("branch", absl::StrCat("race-", i)), m);
      if (r.ok()) ++made;
      if (Reason(r.status()) == "MEMBER_ALREADY_REGISTERED") ++refused;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(made.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM member_registrations WHERE member_id = 'mb_race'"), 1);
}

TEST_F(DualregStoreTest, MovingHomeMovesTheRegistrationAndAMemberChangesOnlyItsOwn) {
  const auto m = Register("d/s1/home1", "mb_mover");
  auto moved =
      registrations_.MoveMemberHome("", Write(), m.id(), m.etag(), "ar_home2", "d/s2/home2");
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->community_path(), "d/s2/home2");
  EXPECT_EQ(Count(absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '", m.id(),
                               "' AND action = ", common::v1::Change::MOVED)),
            1);
  // The old street no longer sees it.
  EXPECT_EQ(Reason(registrations_.GetMember("d/s1", m.id()).status()), "OUT_OF_SCOPE");
  v1::UpdateMemberOfferRequest offer;
  offer.set_id(m.id());
  offer.add_skills("tutoring");
  EXPECT_EQ(Reason(registrations_.UpdateOffer("", Write(), offer, "mb_other").status()),
            "NOT_YOUR_REGISTRATION");
  auto updated = registrations_.UpdateOffer("", Write(), offer, "mb_mover");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->skills(0), "tutoring");
  EXPECT_EQ(updated->availability_size(), 0);
  auto withdrawn = registrations_.WithdrawMember("", Write(), m.id(), updated->etag());
  ASSERT_TRUE(withdrawn.ok());
  // Withdrawn: the member may register again.
  Register("d/s2/home2", "mb_mover");
}

TEST_F(DualregStoreTest, DispatchMatchesSkillAndTimeAndPrefersTheLeastBusy) {
  const std::string c = "d/s3/match";
  const auto busy = Register(c, "mb_busy");
  const auto idle = Register(c, "mb_idle");
  Register(c, "mb_cook", "cooking");
  // busy already holds an open order.
  Dispatch(NewOrder(c), {busy.id()});
  const v1::Order order = Dispatch(NewOrder(c), {}, 2);
  EXPECT_EQ(order.state(), v1::DISPATCHED);
  ASSERT_EQ(order.offered_registration_ids_size(), 2);
  const v1::Order one = Dispatch(NewOrder(c), {}, 1);
  ASSERT_EQ(one.offered_registration_ids_size(), 1);
  // idle holds one open order now, busy two.
  EXPECT_EQ(one.offered_registration_ids(0), idle.id());
  // A skill nobody offers: unmatched, and the need is queued for orgs once.
  const v1::Order plain = NewOrder(c);
  auto none = Dispatch(NewOrder(c, "plumbing"));
  EXPECT_EQ(none.state(), v1::UNMATCHED);
  EXPECT_EQ(Count(absl::StrCat("SELECT COUNT(*) FROM deliveries WHERE event_id = 'need/", none.id(),
                               "'")),
            1);
  auto again = Dispatch(none);
  EXPECT_EQ(again.state(), v1::UNMATCHED);
  EXPECT_EQ(again.dispatch_count(), 2);
  EXPECT_EQ(
      Count(absl::StrCat("SELECT COUNT(*) FROM deliveries WHERE order_id = '", none.id(), "'")), 1);
  // A registration of another community cannot be named.
  v1::DispatchOrderRequest far;
  far.set_id(plain.id());
  far.add_registration_ids(Register("d/s3/other", "mb_far").id());
  EXPECT_EQ(Reason(orders_.Dispatch("", Write(), far).status()), "REGISTRATION_NOT_IN_COMMUNITY");
}

TEST_F(DualregStoreTest, OneOfSeveralMembersTakesAnOrderWhenAllTryAtOnce) {
  const std::string c = "d/s4/race";
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(Register(c, absl::StrCat("mb_take", i)).id());
  const v1::Order order = Dispatch(NewOrder(c), ids);
  std::atomic<int> taken{0}, refused{0};
  std::vector<std::thread> threads;
  for (const std::string& id : ids) {
    threads.emplace_back([&, id] {
      auto r = Take(order, id);
      if (r.ok()) ++taken;
      if (Reason(r.status()) == "ORDER_NOT_DISPATCHED") ++refused;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(taken.load(), 1);
  EXPECT_EQ(refused.load(), 3);
  EXPECT_EQ(
      Count(absl::StrCat("SELECT COUNT(*) FROM order_offers WHERE order_id = '", order.id(), "'")),
      1);
}

TEST_F(DualregStoreTest, ItCountsOnlyWhenTheResidentConfirmsAndTheCreditIsQueuedOnce) {
  const std::string c = "d/s5/flow";
  const auto m = Register(c, "mb_flow");
  const auto other = Register(c, "mb_flow2");
  v1::Order order = Dispatch(NewOrder(c), {m.id()});
  EXPECT_EQ(Reason(Take(order, other.id()).status()), "ORDER_NOT_OFFERED");
  EXPECT_EQ(Reason(Take(order, m.id(), "mb_somebody").status()), "NOT_YOUR_REGISTRATION");
  ASSERT_TRUE(Take(order, m.id(), "mb_flow").ok());
  v1::CompleteOrderRequest complete;
  complete.set_id(order.id());
  complete.set_minutes(50);
  EXPECT_EQ(Reason(orders_.Complete("", Write(), complete, Actor{"mb_flow2", "x", false}).status()),
            "NOT_THE_TAKER");
  ASSERT_TRUE(orders_.Complete("", Write(), complete, Actor{"mb_flow", "x", false}).ok());
  EXPECT_EQ(Reason(orders_.Confirm("", Write(), order.id(), Actor{"", "branch", false}).status()),
            "NOT_THE_ORDERER");
  auto confirmed = orders_.Confirm("", Write(), order.id(), Actor{"", "resident-1", false});
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->credit_state(), v1::CREDIT_PENDING);
  EXPECT_EQ(
      Reason(orders_.Confirm("", Write(), order.id(), Actor{"", "resident-1", false}).status()),
      "ORDER_NOT_COMPLETED");
  // The credit is in the outbox with the member's volunteer, minutes and points.
  auto due = deliveries_.Due(kSaturdayTen + absl::Hours(100), 1000);
  ASSERT_TRUE(due.ok());
  const Delivery* credit = nullptr;
  for (const Delivery& d : *due) {
    if (d.event_id == absl::StrCat("credit/", order.id())) credit = &d;
  }
  ASSERT_NE(credit, nullptr);
  volunteer::v1::CreditEventRequest request;
  ASSERT_TRUE(request.ParseFromString(credit->payload));
  EXPECT_EQ(request.credit().event_id(), order.id());
  EXPECT_EQ(request.credit().volunteer_id(), "vl_mb_flow");
  EXPECT_EQ(request.credit().minutes(), 50);
  EXPECT_EQ(request.credit().points(), 5);
  ASSERT_TRUE(
      deliveries_.MarkRetry(*credit, "volunteer down", kSaturdayTen + absl::Hours(200)).ok());
  ASSERT_TRUE(deliveries_.MarkDelivered(*credit, "credit/dualreg/x", kSaturdayTen).ok());
  ASSERT_TRUE(deliveries_.MarkDelivered(*credit, "credit/dualreg/x", kSaturdayTen).ok());
  EXPECT_EQ(orders_.Get("", order.id())->credit_state(), v1::CREDIT_DELIVERED);
  EXPECT_EQ(Count(absl::StrCat("SELECT attempts FROM deliveries WHERE id = ", credit->id)), 2);

  v1::RateOrderRequest rate;
  rate.set_id(order.id());
  rate.set_rating(4);
  ASSERT_TRUE(orders_.Rate("", Write(), rate, Actor{"", "resident-1", false}).ok());
  auto figures = orders_.Figures("", c);
  ASSERT_TRUE(figures.ok());
  EXPECT_EQ(figures->registered_members(), 2);
  EXPECT_EQ(figures->serving_members(), 1);
  EXPECT_EQ(figures->confirmed_orders(), 1);
  EXPECT_EQ(figures->minutes_served(), 50);
  EXPECT_DOUBLE_EQ(figures->mean_rating(), 4);
  EXPECT_EQ(Reason(orders_.Figures("d/s1", c).status()), "OUT_OF_SCOPE");
}

TEST_F(DualregStoreTest, OrdersNotTakenInTimeAreFlaggedOnceAndMayBeDispatchedAgain) {
  const std::string c = "d/s6/late";
  const auto m = Register(c, "mb_late");
  const auto n = Register(c, "mb_late2");
  const v1::Order order = Dispatch(NewOrder(c), {m.id()});
  // Dispatched at Write()'s time; two hours to take it.
  const absl::Time dispatched = kSaturdayTen - absl::Hours(20);
  auto early =
      orders_.FlagOverdue(Write("dualreg:sweeper", "", dispatched + absl::Minutes(119)), 1000);
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(orders_.Get("", order.id())->overdue());
  EXPECT_EQ(Reason(orders_
                       .Dispatch("", Write(),
                                 [&] {
                                   v1::DispatchOrderRequest r;
                                   r.set_id(order.id());
                                   return r;
                                 }())
                       .status()),
            "ORDER_NOT_DISPATCHABLE");
  auto late = orders_.FlagOverdue(Write("dualreg:sweeper", "", dispatched + absl::Hours(3)), 1000);
  ASSERT_TRUE(late.ok());
  EXPECT_GE(*late, 1);
  EXPECT_TRUE(orders_.Get("", order.id())->overdue());
  auto twice = orders_.FlagOverdue(Write("dualreg:sweeper", "", dispatched + absl::Hours(4)), 1000);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(Count(absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '", order.id(),
                               "' AND actor = 'dualreg:sweeper'")),
            1);
  const v1::Order again = Dispatch(orders_.Get("", order.id()).value(), {n.id()});
  EXPECT_EQ(again.state(), v1::DISPATCHED);
  EXPECT_FALSE(again.overdue());
  EXPECT_EQ(again.dispatch_count(), 2);
  ASSERT_EQ(again.offered_registration_ids_size(), 1);
  EXPECT_EQ(again.offered_registration_ids(0), n.id());
  // The overdue list shows it no more.
  v1::ListOrdersRequest overdue;
  overdue.set_path(c);
  overdue.set_overdue_only(true);
  EXPECT_EQ(orders_.List("", overdue)->orders_size(), 0);
}

TEST_F(DualregStoreTest, CoverageCountsEmployersAndResidents) {
  v1::UnitRegistration unit;
  unit.set_organisation_id("og_cover");
  unit.set_organisation_name("Cover Ltd");
  unit.set_community_id("ar_cover");
  unit.set_community_path("d/s7/cover");
  unit.set_resources("volunteers");
  unit.set_agreement("agreement");
  unit.set_valid_until("2099-12-31");
  unit.set_in_service_members(4);
  ASSERT_TRUE(registrations_.RegisterUnit("", Write(), unit).ok());
  for (int i = 0; i < 3; ++i) {
    v1::MemberRegistration m;
    m.set_member_id(absl::StrCat("mb_cover", i));
    m.set_employer_organisation_id("og_cover");
    m.set_community_id("ar_home");
    m.set_community_path(i == 0 ? "d/s7/cover" : "d/s8/elsewhere");
    m.set_volunteer_id("vl_x");
    ASSERT_TRUE(registrations_.RegisterMember("", Write(), m).ok());
  }
  auto report = registrations_.Coverage("", "d/s7", absl::CivilDay(2026, 7, 1));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->employers_size(), 1);
  EXPECT_EQ(report->employers(0).registered_members(), 3);
  EXPECT_DOUBLE_EQ(report->employers(0).coverage(), 0.75);
  ASSERT_EQ(report->communities_size(), 1);
  EXPECT_EQ(report->communities(0).registered_members(), 1);
  EXPECT_EQ(report->communities(0).registered_units(), 1);
  EXPECT_EQ(report->communities(0).units_registered_members(), 3);
  // Expired registrations drop out of the report.
  auto later = registrations_.Coverage("", "d/s7", absl::CivilDay(2100, 1, 1));
  EXPECT_EQ(later->employers_size(), 0);
}

TEST_F(DualregStoreTest, ClaimsNeverPassAPostsCapacity) {
  const std::string c = "d/s9/posts";
  v1::Post post;
  post.set_community_id("ar_posts");
  post.set_community_path(c);
  post.set_type("elderly-care");
  post.set_title("Weekly calls to elderly neighbours");
  post.set_capacity(5);
  auto made = posts_.CreatePost("d/s9", Write("branch", "post-1"), post);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(posts_.CreatePost("d/s9", Write("branch", "post-1"), post)->id(), made->id());
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(Register(c, absl::StrCat("mb_post", i)).id());
  std::atomic<int> claimed{0}, full{0};
  std::atomic<int> a_claimer{-1};
  std::vector<std::thread> threads;
  for (int i = 0; i < static_cast<int>(ids.size()); ++i) {
    threads.emplace_back([&, i] {
      v1::ClaimPostRequest request;
      request.set_post_id(made->id());
      request.set_registration_id(ids[i]);
      auto r = posts_.Claim("", Write(), request, "");
      if (r.ok()) {
        ++claimed;
        a_claimer = i;
      }
      if (Reason(r.status()) == "POST_FULL") ++full;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.load(), 5);
  EXPECT_EQ(full.load(), 7);
  v1::ListPostsRequest list;
  list.set_path(c);
  auto listed = posts_.ListPosts("", list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->posts_size(), 1);
  EXPECT_EQ(listed->posts(0).claimed(), 5);
  EXPECT_EQ(
      Count(absl::StrCat("SELECT COUNT(*) FROM post_claims WHERE post_id = '", made->id(), "'")),
      5);
  // One who holds a place claims another post once; a second claim is
  // refused and takes nothing.
  post.set_capacity(10);
  auto roomy = posts_.CreatePost("", Write(), post);
  v1::ClaimPostRequest twice;
  twice.set_post_id(roomy->id());
  ASSERT_GE(a_claimer.load(), 0);
  twice.set_registration_id(ids[a_claimer.load()]);
  auto first_claim = posts_.Claim("", Write(), twice, "");
  ASSERT_TRUE(first_claim.ok()) << first_claim.status();
  EXPECT_EQ(Reason(posts_.Claim("", Write(), twice, "").status()), "POST_ALREADY_CLAIMED");
  EXPECT_EQ(Reason(posts_.Claim("", Write(), twice, "mb_other").status()), "NOT_YOUR_REGISTRATION");
  auto figures = orders_.Figures("", c);
  EXPECT_EQ(figures->claiming_members(), 5);
  EXPECT_EQ(figures->posts_claimed(), 2);
}

TEST_F(DualregStoreTest, PairingsWithoutARecentVisitAreReported) {
  const std::string c = "d/s10/pairs";
  const auto m = Register(c, "mb_pair");
  const auto n = Register(c, "mb_pair2");
  const absl::Time start = kSaturdayTen;
  v1::Pairing pairing;
  pairing.set_registration_id(m.id());
  pairing.set_household_id("hh_alone");
  pairing.set_need(v1::ELDERLY_ALONE);
  auto made = posts_.CreatePairing("", Write("branch", "", start), pairing);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->visit_interval_days(), 30);
  pairing.set_registration_id(n.id());
  EXPECT_EQ(Reason(posts_.CreatePairing("", Write("branch", "", start), pairing).status()),
            "PAIRING_EXISTS");
  auto listed = [&](absl::Time now) {
    auto r = posts_.WithoutRecentVisit("", c, now, 100);
    EXPECT_TRUE(r.ok());
    return r->pairings_size();
  };
  EXPECT_EQ(listed(start + absl::Hours(24 * 29)), 0);
  EXPECT_EQ(listed(start + absl::Hours(24 * 31)), 1);
  EXPECT_EQ(
      Reason(
          posts_.RecordVisit("", Write(), made->id(), start + absl::Hours(24 * 31), "", "mb_pair2")
              .status()),
      "NOT_YOUR_PAIRING");
  auto visited = posts_.RecordVisit("", Write(), made->id(), start + absl::Hours(24 * 31),
                                    "brought groceries", "mb_pair");
  ASSERT_TRUE(visited.ok()) << visited.status();
  EXPECT_EQ(visited->visits(), 1);
  EXPECT_EQ(listed(start + absl::Hours(24 * 32)), 0);
  EXPECT_EQ(listed(start + absl::Hours(24 * 62)), 1);
  EXPECT_EQ(Reason(posts_.WithoutRecentVisit("d/s1", c, start, 10).status()), "OUT_OF_SCOPE");
  ASSERT_TRUE(posts_.EndPairing("", Write(), made->id()).ok());
  EXPECT_EQ(listed(start + absl::Hours(24 * 62)), 0);
  // Ended: the household may be paired again.
  EXPECT_TRUE(posts_.CreatePairing("", Write("branch", "", start), pairing).ok());
}

TEST_F(DualregStoreTest, AnEmployerGetsOneReportPerPeriodAndAcknowledgesIt) {
  ReportStore reports(*env_.pool, *env_.changes);
  const std::string c = "d/s11/rep";
  v1::UnitRegistration unit;
  unit.set_organisation_id("og_report");
  unit.set_organisation_name("Report Ltd");
  unit.set_community_id("ar_rep");
  unit.set_community_path(c);
  unit.set_resources("volunteers");
  unit.set_agreement("agreement");
  unit.set_valid_until("2099-12-31");
  unit.set_in_service_members(2);
  auto registered = registrations_.RegisterUnit("", Write(), unit);
  ASSERT_TRUE(registered.ok());
  v1::MemberRegistration m;
  m.set_member_id("mb_rep");
  m.set_employer_organisation_id("og_report");
  m.set_community_id("ar_rep");
  m.set_community_path(c);
  m.set_volunteer_id("vl_rep");
  auto member = registrations_.RegisterMember("", Write(), m);
  ASSERT_TRUE(member.ok());
  // Two confirmed orders on 4 July, one rated 4; one completed, not confirmed.
  for (int i = 0; i < 3; ++i) {
    v1::Order order = Dispatch(NewOrder(c), {member->id()});
    ASSERT_TRUE(Take(order, member->id()).ok());
    v1::CompleteOrderRequest complete;
    complete.set_id(order.id());
    complete.set_minutes(30);
    ASSERT_TRUE(orders_.Complete("", Write(), complete, Actor{}).ok());
    if (i == 2) break;
    ASSERT_TRUE(orders_.Confirm("", Write(), order.id(), Actor{"", "resident-1", false}).ok());
    if (i == 0) {
      v1::RateOrderRequest rate;
      rate.set_id(order.id());
      rate.set_rating(4);
      ASSERT_TRUE(orders_.Rate("", Write(), rate, Actor{"", "resident-1", false}).ok());
    }
  }
  const Period july{absl::CivilDay(2026, 7, 1), absl::CivilDay(2026, 7, 31)};
  auto report = reports.Create("d/s11", Write("branch", "rep-1"), registered->id(), july);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->state(), v1::DELIVERED);
  EXPECT_EQ(report->organisation_id(), "og_report");
  ASSERT_EQ(report->members_size(), 1);
  EXPECT_EQ(report->members(0).orders_done(), 2);
  EXPECT_EQ(report->members(0).minutes(), 60);
  EXPECT_DOUBLE_EQ(report->members(0).mean_rating(), 4);
  EXPECT_EQ(reports.Create("d/s11", Write("branch", "rep-1"), registered->id(), july)->id(),
            report->id());
  EXPECT_EQ(
      Reason(reports.Create("d/s11", Write("branch", "rep-2"), registered->id(), july).status()),
      "REPORT_EXISTS");
  // June holds none of the orders.
  const Period june{absl::CivilDay(2026, 6, 1), absl::CivilDay(2026, 6, 30)};
  auto empty = reports.Create("", Write(), registered->id(), june);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->members(0).orders_done(), 0);
  EXPECT_EQ(Reason(reports.Get("d/s1", report->id()).status()), "OUT_OF_SCOPE");
  EXPECT_EQ(Reason(reports.Acknowledge("", Write("og_other"), report->id(), "og_other").status()),
            "NOT_THE_EMPLOYER");
  auto acknowledged = reports.Acknowledge("", Write("og_report"), report->id(), "og_report");
  ASSERT_TRUE(acknowledged.ok()) << acknowledged.status();
  EXPECT_EQ(acknowledged->state(), v1::ACKNOWLEDGED);
  EXPECT_EQ(acknowledged->acknowledged_by(), "og_report");
  EXPECT_EQ(Reason(reports.Acknowledge("", Write("og_report"), report->id(), "og_report").status()),
            "REPORT_ACKNOWLEDGED");
  EXPECT_EQ(reports.Get("", report->id())->members(0).orders_done(), 2);
}

}  // namespace
}  // namespace grassroots::dualreg

namespace grassroots::dualreg {
namespace {

TEST_F(DualregStoreTest, AMemberIsEvaluatedOnceAYearAndTheEmployerSeesIt) {
  EvaluationStore evaluations(*env_.pool, *env_.changes);
  ReportStore reports(*env_.pool, *env_.changes);
  const std::string c = "d/s12/eva";
  v1::UnitRegistration unit;
  unit.set_organisation_id("og_acme");
  unit.set_organisation_name("Acme");
  unit.set_community_id("ar_eva");
  unit.set_community_path(c);
  unit.set_resources("volunteers");
  unit.set_agreement("agreement");
  unit.set_valid_until("2099-12-31");
  auto registered = registrations_.RegisterUnit("", Write(), unit);
  ASSERT_TRUE(registered.ok()) << registered.status();
  const v1::MemberRegistration first = Register(c, "mb_eva_1");
  const v1::MemberRegistration second = Register(c, "mb_eva_2");
  const v1::MemberRegistration gone = Register(c, "mb_eva_3");
  ASSERT_TRUE(registrations_.WithdrawMember("", Write(), gone.id(), "").ok());
  // One confirmed order of 45 minutes in 2026 for the first member.
  v1::Order order = Dispatch(NewOrder(c), {first.id()});
  ASSERT_TRUE(Take(order, first.id()).ok());
  v1::CompleteOrderRequest complete;
  complete.set_id(order.id());
  complete.set_minutes(45);
  ASSERT_TRUE(orders_.Complete("", Write(), complete, Actor{}).ok());
  ASSERT_TRUE(orders_.Confirm("", Write(), order.id(), Actor{"", "resident-1", false}).ok());

  auto evaluation = [](const std::string& registration, v1::MemberEvaluationGrade grade) {
    v1::MemberEvaluation e;
    e.set_registration_id(registration);
    e.set_year(2026);
    e.set_grade(grade);
    e.set_comment("on time, every time");
    return e;
  };
  auto made = evaluations.Record("d/s12", Write("branch", "eva-1"),
                                 evaluation(first.id(), v1::EVALUATION_EXCELLENT));
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->member_id(), "mb_eva_1");
  EXPECT_EQ(made->employer_organisation_id(), "og_acme");
  EXPECT_EQ(made->community_path(), c);
  EXPECT_EQ(made->orders_done(), 1);
  EXPECT_EQ(made->minutes(), 45);
  EXPECT_EQ(made->evaluated_by(), "branch");
  // The same request again: the first answer. Another request: refused.
  EXPECT_EQ(evaluations
                .Record("d/s12", Write("branch", "eva-1"),
                        evaluation(first.id(), v1::EVALUATION_EXCELLENT))
                ->id(),
            made->id());
  EXPECT_EQ(Reason(evaluations
                       .Record("d/s12", Write("branch", "eva-2"),
                               evaluation(first.id(), v1::EVALUATION_COMPETENT))
                       .status()),
            "EVALUATION_EXISTS");
  EXPECT_EQ(Count(absl::StrCat("SELECT COUNT(*) FROM member_evaluations WHERE registration_id = '",
                               first.id(), "'")),
            1);
  // Another year is another evaluation; a withdrawn registration and one
  // outside the scope are refused.
  v1::MemberEvaluation earlier = evaluation(first.id(), v1::EVALUATION_COMPETENT);
  earlier.set_year(2025);
  ASSERT_TRUE(evaluations.Record("", Write(), earlier).ok());
  EXPECT_EQ(Reason(evaluations.Record("", Write(), evaluation(gone.id(), v1::EVALUATION_COMPETENT))
                       .status()),
            "REGISTRATION_WITHDRAWN");
  EXPECT_EQ(
      Reason(evaluations.Record("d/s1", Write(), evaluation(second.id(), v1::EVALUATION_COMPETENT))
                 .status()),
      "OUT_OF_SCOPE");

  // Who is left: the second member (the withdrawn one is not counted).
  v1::ListUnevaluatedMembersRequest left;
  left.set_path(c);
  left.set_year(2026);
  auto missing = evaluations.ListUnevaluated("d/s12", left);
  ASSERT_TRUE(missing.ok()) << missing.status();
  ASSERT_EQ(missing->members_size(), 1);
  EXPECT_EQ(missing->members(0).registration_id(), second.id());
  EXPECT_EQ(missing->registered_members(), 2);
  EXPECT_EQ(missing->evaluated_members(), 1);
  EXPECT_EQ(Reason(evaluations.ListUnevaluated("d/s1", left).status()), "OUT_OF_SCOPE");
  ASSERT_TRUE(
      evaluations.Record("d/s12", Write(), evaluation(second.id(), v1::EVALUATION_COMPETENT)).ok());
  EXPECT_EQ(evaluations.ListUnevaluated("d/s12", left)->members_size(), 0);

  // Listed a page at a time.
  v1::ListMemberEvaluationsRequest list;
  list.set_path(c);
  list.set_year(2026);
  list.set_page_size(1);
  auto page = evaluations.List("", list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->evaluations_size(), 1);
  ASSERT_FALSE(page->next_page_token().empty());
  list.set_page_token(page->next_page_token());
  auto rest = evaluations.List("", list);
  ASSERT_TRUE(rest.ok()) << rest.status();
  ASSERT_EQ(rest->evaluations_size(), 1);
  EXPECT_TRUE(rest->next_page_token().empty());
  EXPECT_NE(rest->evaluations(0).registration_id(), page->evaluations(0).registration_id());

  // The employer's report for July 2026 carries 2026's evaluations.
  const Period july{absl::CivilDay(2026, 7, 1), absl::CivilDay(2026, 7, 31)};
  auto report = reports.Create("", Write(), registered->id(), july);
  ASSERT_TRUE(report.ok()) << report.status();
  std::map<std::string, v1::MemberServiceLine> lines;
  for (const auto& line : report->members()) lines[line.registration_id()] = line;
  EXPECT_EQ(lines[first.id()].evaluation_grade(), v1::EVALUATION_EXCELLENT);
  EXPECT_EQ(lines[first.id()].evaluation_year(), 2026);
  EXPECT_EQ(lines[first.id()].orders_done(), 1);
  EXPECT_EQ(lines[second.id()].evaluation_grade(), v1::EVALUATION_COMPETENT);
  EXPECT_EQ(lines[gone.id()].evaluation_grade(), v1::MEMBER_EVALUATION_GRADE_UNSPECIFIED);
}

}  // namespace
}  // namespace grassroots::dualreg
