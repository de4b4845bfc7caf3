// dualreg's business metrics against a real MariaDB, through the handlers
// over gRPC (orgs answered by a stand-in that knows one community, one
// employer and its members): each figure counted by street once per write,
// and not again when the same request_id is replayed or a step is refused.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/changes/change_feed_handler.h"
#include "common/status/grpc_status.h"
#include "common/testing/private_mariadb.h"
#include "common/time/proto_time.h"
#include "grassroots/dualreg/v1/evaluation.grpc.pb.h"
#include "grassroots/dualreg/v1/feed.grpc.pb.h"
#include "grassroots/dualreg/v1/order.grpc.pb.h"
#include "grassroots/dualreg/v1/pairing.grpc.pb.h"
#include "grassroots/dualreg/v1/post.grpc.pb.h"
#include "grassroots/dualreg/v1/registration.grpc.pb.h"
#include "grassroots/dualreg/v1/report.grpc.pb.h"
#include "services/dualreg/business_metrics.h"
#include "services/dualreg/evaluation_handler.h"
#include "services/dualreg/order_handler.h"
#include "services/dualreg/post_handler.h"
#include "services/dualreg/registration_handler.h"
#include "services/dualreg/report_handler.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& dualreg_migrations();
}  // namespace grassroots::db

namespace grassroots::dualreg {
namespace {

using ::grassroots::testing::InProcessService;

constexpr char kCommunityId[] = "ar_mc1";
constexpr char kCommunityPath[] = "mt/ms1/mc1";
constexpr char kStreet[] = "mt/ms1";
constexpr char kEmployerId[] = "og_macme";
constexpr char kEmployerPath[] = "mt/ms1/mc1/macme";

// orgs as dualreg sees it: one community, one active employer sitting in
// it and its members.
class FakeAreas final : public orgs::v1::AreaService::CallbackService {
  grpc::ServerUnaryReactor* GetArea(grpc::CallbackServerContext* context,
                                    const orgs::v1::GetAreaRequest* request,
                                    orgs::v1::Area* response) override {
    auto* reactor = context->DefaultReactor();
    if (request->id() != kCommunityId) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "no such area"));
      return reactor;
    }
    response->set_id(kCommunityId);
    response->set_kind(orgs::v1::COMMUNITY);
    response->set_path(kCommunityPath);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class FakeOrganisations final : public orgs::v1::OrganisationService::CallbackService {
  grpc::ServerUnaryReactor* GetOrganisation(grpc::CallbackServerContext* context,
                                            const orgs::v1::GetOrganisationRequest* request,
                                            orgs::v1::Organisation* response) override {
    auto* reactor = context->DefaultReactor();
    if (request->id() != kEmployerId) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "no such organisation"));
      return reactor;
    }
    response->set_id(kEmployerId);
    response->set_display_name("Acme branch");
    response->set_path(kEmployerPath);
    response->set_area_path(kCommunityPath);
    response->set_state(orgs::v1::ACTIVE);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class FakeMembers final : public orgs::v1::MemberService::CallbackService {
  grpc::ServerUnaryReactor* GetMember(grpc::CallbackServerContext* context,
                                      const orgs::v1::GetMemberRequest* request,
                                      orgs::v1::Member* response) override {
    response->set_id(request->id());
    response->set_organisation_path(kEmployerPath);
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  grpc::ServerUnaryReactor* ListMembers(grpc::CallbackServerContext* context,
                                        const orgs::v1::ListMembersRequest*,
                                        orgs::v1::ListMembersResponse* response) override {
    for (const char* id : {"mb_m1", "mb_m2", "mb_m3"}) response->add_members()->set_id(id);
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

struct Suite {
  FakeAreas areas;
  FakeOrganisations organisations;
  FakeMembers members;
  std::unique_ptr<grpc::Server> orgs;
  std::unique_ptr<OrgsDirectory> directory;
  std::unique_ptr<InProcessService> service;
  prometheus::Registry registry;
  std::unique_ptr<BusinessMetrics> metrics;
  std::unique_ptr<RegistrationStore> registrations;
  std::unique_ptr<OrderStore> orders;
  std::unique_ptr<PostStore> posts;
  std::unique_ptr<ReportStore> reports;
  std::unique_ptr<EvaluationStore> evaluations;
  std::unique_ptr<RegistrationHandler> registration_handler;
  std::unique_ptr<OrderHandler> order_handler;
  std::unique_ptr<PostHandler> post_handler;
  std::unique_ptr<PairingHandler> pairing_handler;
  std::unique_ptr<ReportHandler> report_handler;
  std::unique_ptr<EvaluationHandler> evaluation_handler;
  std::unique_ptr<ChangeFeedHandler<v1::ChangeFeedService>> feed;
};

class DualregMetricsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite;
    int orgs_port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &orgs_port);
    builder.RegisterService(&suite_->areas);
    builder.RegisterService(&suite_->organisations);
    builder.RegisterService(&suite_->members);
    suite_->orgs = builder.BuildAndStart();
    ASSERT_NE(orgs_port, 0);
    suite_->directory =
        std::make_unique<OrgsDirectory>(grpc::CreateChannel(absl::StrCat("127.0.0.1:", orgs_port),
                                                            grpc::InsecureChannelCredentials()),
                                        absl::Seconds(5));
    suite_->service = std::make_unique<InProcessService>(
        "dualreg", ::grassroots::testing::FreshSchema("dualreg_metrics"),
        std::vector<const db::MigrationSet*>{&db::dualreg_migrations()});
    const ServiceEnv& env = suite_->service->env();
    Suite& s = *suite_;
    s.metrics = std::make_unique<BusinessMetrics>(s.registry);
    s.registrations = std::make_unique<RegistrationStore>(*env.pool, *env.changes);
    s.orders = std::make_unique<OrderStore>(*env.pool, *env.changes, OrderClock{}, 5);
    s.posts = std::make_unique<PostStore>(*env.pool, *env.changes);
    s.reports = std::make_unique<ReportStore>(*env.pool, *env.changes);
    s.evaluations = std::make_unique<EvaluationStore>(*env.pool, *env.changes);
    s.registration_handler =
        std::make_unique<RegistrationHandler>(env, *s.registrations, *s.directory, *s.metrics);
    s.order_handler = std::make_unique<OrderHandler>(env, *s.orders, *s.directory, *s.metrics);
    s.post_handler = std::make_unique<PostHandler>(env, *s.posts, *s.directory, *s.metrics);
    s.pairing_handler = std::make_unique<PairingHandler>(env, *s.posts, *s.metrics);
    s.report_handler = std::make_unique<ReportHandler>(env, *s.reports, *s.metrics);
    s.evaluation_handler = std::make_unique<EvaluationHandler>(env, *s.evaluations, *s.metrics);
    s.feed = std::make_unique<ChangeFeedHandler<v1::ChangeFeedService>>(env);
    s.service->Start({s.registration_handler.get(), s.order_handler.get(), s.post_handler.get(),
                      s.pairing_handler.get(), s.report_handler.get(), s.evaluation_handler.get(),
                      s.feed.get()});
  }
  static void TearDownTestSuite() {
    suite_->service->Stop();
    suite_->orgs->Shutdown();
    delete suite_;
  }

  DualregMetricsTest() {
    auto channel = suite_->service->Channel();
    registrations_ = v1::RegistrationService::NewStub(channel);
    orders_ = v1::OrderService::NewStub(channel);
    posts_ = v1::PostService::NewStub(channel);
    pairings_ = v1::PairingService::NewStub(channel);
    reports_ = v1::EmployerReportService::NewStub(channel);
    evaluations_ = v1::MemberEvaluationService::NewStub(channel);
  }

  // One call as a city-wide dualreg admin: the reply or the status.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Rpc(Stub& stub,
                               grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                            Response*),
                               const Request& request) const {
    Response out;
    auto context = principals_.Context("", "admin-1", {"dualreg.admin"});
    grpc::Status status = (stub.*method)(context.get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // The counter `name` of the street (0 when it has no such series yet),
  // read from the registry the handlers count into.
  static double Counted(const std::string& name, const std::string& street = kStreet) {
    for (const prometheus::MetricFamily& family : suite_->registry.Collect()) {
      if (family.name != name) continue;
      for (const prometheus::ClientMetric& metric : family.metric) {
        const bool unlabelled = metric.label.empty() && street.empty();
        const bool of_street = metric.label.size() == 1 && metric.label[0].name == "street" &&
                               metric.label[0].value == street;
        if (unlabelled || of_street) return metric.counter.value;
      }
    }
    return 0;
  }

  static std::string Scraped() {
    return prometheus::TextSerializer().Serialize(suite_->registry.Collect());
  }

  int64_t Count(const std::string& sql) const {
    return ::grassroots::testing::QueryInt(*suite_->service->env().pool, sql);
  }

  absl::StatusOr<v1::MemberRegistration> RegisterMember(const std::string& member,
                                                        const std::string& request_id) const {
    v1::RegisterMemberRequest request;
    v1::MemberRegistration* r = request.mutable_registration();
    r->set_member_id(member);
    r->set_employer_organisation_id(kEmployerId);
    r->set_community_id(kCommunityId);
    r->set_volunteer_id(absl::StrCat("vl_", member));
    r->add_skills("repair");
    for (int day = 1; day <= 7; ++day) {
      auto* slot = r->add_availability();
      slot->set_weekday(day);
      slot->set_start_minute(0);
      slot->set_end_minute(1440);
    }
    request.set_request_id(request_id);
    return Rpc(*registrations_, &v1::RegistrationService::Stub::RegisterMember, request);
  }

  absl::StatusOr<v1::Order> CreateOrder(const std::string& request_id) const {
    v1::CreateOrderRequest request;
    v1::Order* order = request.mutable_order();
    order->set_community_id(kCommunityId);
    order->set_household_id("hh_m1");
    order->set_skill("repair");
    order->set_description("the tap leaks");
    ToProtoTime(absl::Now() + absl::Hours(24), order->mutable_requested_time());
    order->set_duration_minutes(60);
    request.set_request_id(request_id);
    return Rpc(*orders_, &v1::OrderService::Stub::CreateOrder, request);
  }

  absl::StatusOr<v1::Order> Dispatch(const v1::Order& order, const std::string& registration) {
    v1::DispatchOrderRequest request;
    request.set_id(order.id());
    request.add_registration_ids(registration);
    return Rpc(*orders_, &v1::OrderService::Stub::DispatchOrder, request);
  }

  static Suite* suite_;
  ::grassroots::testing::TestPrincipals principals_;
  std::unique_ptr<v1::RegistrationService::Stub> registrations_;
  std::unique_ptr<v1::OrderService::Stub> orders_;
  std::unique_ptr<v1::PostService::Stub> posts_;
  std::unique_ptr<v1::PairingService::Stub> pairings_;
  std::unique_ptr<v1::EmployerReportService::Stub> reports_;
  std::unique_ptr<v1::MemberEvaluationService::Stub> evaluations_;
};

Suite* DualregMetricsTest::suite_ = nullptr;

TEST_F(DualregMetricsTest, StreetOfACommunityIsItsParent) {
  EXPECT_EQ(StreetOf("d01/s01/c01"), "d01/s01");
  EXPECT_EQ(StreetOf("d01"), "d01");
}

TEST_F(DualregMetricsTest, RegistrationsCountOnceByStreetAndNotOnReplay) {
  v1::RegisterUnitRequest unit;
  unit.mutable_unit()->set_organisation_id(kEmployerId);
  unit.mutable_unit()->set_community_id(kCommunityId);
  unit.mutable_unit()->set_resources("a hall");
  unit.mutable_unit()->set_agreement("co-building agreement");
  unit.mutable_unit()->set_valid_until("2099-12-31");
  unit.set_request_id("mt-unit-1");
  auto first = Rpc(*registrations_, &v1::RegistrationService::Stub::RegisterUnit, unit);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Counted("dualreg_units_registered_total"), 1);
  auto replay = Rpc(*registrations_, &v1::RegistrationService::Stub::RegisterUnit, unit);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->id(), first->id());
  EXPECT_EQ(Counted("dualreg_units_registered_total"), 1);

  auto member = RegisterMember("mb_m1", "mt-member-1");
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ(Counted("dualreg_members_registered_total"), 1);
  auto again = RegisterMember("mb_m1", "mt-member-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), member->id());
  EXPECT_EQ(Counted("dualreg_members_registered_total"), 1);
  // A second registration of the same member under a new request id is
  // refused, and counts nothing either.
  EXPECT_FALSE(RegisterMember("mb_m1", "mt-member-1b").ok());
  EXPECT_EQ(Counted("dualreg_members_registered_total"), 1);
  // Labels no finer than a street: no community, no id.
  const std::string scraped = Scraped();
  EXPECT_EQ(scraped.find(kCommunityPath), std::string::npos) << scraped;
  EXPECT_EQ(scraped.find(member->id()), std::string::npos) << scraped;
}

TEST_F(DualregMetricsTest, OrdersPlacedAndConfirmedCountOnce) {
  auto member = RegisterMember("mb_m2", "mt-member-2");
  ASSERT_TRUE(member.ok()) << member.status();
  const double placed = Counted("dualreg_orders_placed_total");
  auto order = CreateOrder("mt-order-1");
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(Counted("dualreg_orders_placed_total"), placed + 1);
  auto replay = CreateOrder("mt-order-1");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->id(), order->id());
  EXPECT_EQ(Counted("dualreg_orders_placed_total"), placed + 1);

  ASSERT_TRUE(Dispatch(*order, member->id()).ok());
  v1::TakeOrderRequest take;
  take.set_id(order->id());
  take.set_registration_id(member->id());
  ASSERT_TRUE(Rpc(*orders_, &v1::OrderService::Stub::TakeOrder, take).ok());
  v1::CompleteOrderRequest complete;
  complete.set_id(order->id());
  complete.set_minutes(45);
  ASSERT_TRUE(Rpc(*orders_, &v1::OrderService::Stub::CompleteOrder, complete).ok());
  EXPECT_EQ(Counted("dualreg_orders_confirmed_total"), 0);  // completed is not confirmed
  v1::ConfirmOrderRequest confirm;
  confirm.set_id(order->id());
  auto confirmed = Rpc(*orders_, &v1::OrderService::Stub::ConfirmOrder, confirm);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->state(), v1::CONFIRMED);
  EXPECT_EQ(Counted("dualreg_orders_confirmed_total"), 1);
  EXPECT_EQ(Counted("dualreg_order_service_seconds_total"), 45 * 60);
  // Confirming again is refused (the order is confirmed) and counts nothing.
  EXPECT_FALSE(Rpc(*orders_, &v1::OrderService::Stub::ConfirmOrder, confirm).ok());
  EXPECT_EQ(Counted("dualreg_orders_confirmed_total"), 1);
  EXPECT_EQ(Counted("dualreg_order_service_seconds_total"), 45 * 60);
}

TEST_F(DualregMetricsTest, OrdersFlaggedOverdueAreCountedOnceBySweep) {
  auto member = RegisterMember("mb_m3", "mt-member-3");
  ASSERT_TRUE(member.ok()) << member.status();
  auto order = CreateOrder("mt-order-late");
  ASSERT_TRUE(order.ok()) << order.status();
  ASSERT_TRUE(Dispatch(*order, member->id()).ok());  // to be taken within 2 hours
  const std::string overdue = "SELECT COUNT(*) FROM orders WHERE overdue = TRUE";
  const int64_t flagged_before = Count(overdue);
  const double counted_before = Counted("dualreg_orders_flagged_overdue_total", "");
  // Three hours on, nobody took it: the sweep flags it, and a second sweep
  // at the same time finds nothing more to flag.
  const WriteContext later{"dualreg:sweeper", "", absl::Now() + absl::Hours(3)};
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE(SweepOverdueOrders(*suite_->orders, *suite_->metrics, later, 200).ok());
  }
  const int64_t flagged = Count(overdue) - flagged_before;
  EXPECT_GE(flagged, 1);
  EXPECT_EQ(Counted("dualreg_orders_flagged_overdue_total", ""), counted_before + flagged);
}

TEST_F(DualregMetricsTest, ClaimsPairingsVisitsEvaluationsAndReportsCountOnce) {
  auto member = RegisterMember("mb_m4", "mt-member-4");
  ASSERT_TRUE(member.ok()) << member.status();

  v1::CreatePostRequest post;
  post.mutable_post()->set_community_id(kCommunityId);
  post.mutable_post()->set_type("elderly-care");
  post.mutable_post()->set_title("Reading to the elderly");
  post.mutable_post()->set_capacity(5);
  post.set_request_id("mt-post-1");
  auto made = Rpc(*posts_, &v1::PostService::Stub::CreatePost, post);
  ASSERT_TRUE(made.ok()) << made.status();
  v1::ClaimPostRequest claim;
  claim.set_post_id(made->id());
  claim.set_registration_id(member->id());
  auto claimed = Rpc(*posts_, &v1::PostService::Stub::ClaimPost, claim);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(claimed->community_path(), kCommunityPath);
  EXPECT_EQ(Counted("dualreg_posts_claimed_total"), 1);
  EXPECT_FALSE(Rpc(*posts_, &v1::PostService::Stub::ClaimPost, claim).ok());  // once per member
  EXPECT_EQ(Counted("dualreg_posts_claimed_total"), 1);

  v1::CreatePairingRequest pairing;
  pairing.mutable_pairing()->set_registration_id(member->id());
  pairing.mutable_pairing()->set_household_id("hh_m4");
  pairing.mutable_pairing()->set_need(v1::ELDERLY_ALONE);
  pairing.set_request_id("mt-pairing-1");
  auto paired = Rpc(*pairings_, &v1::PairingService::Stub::CreatePairing, pairing);
  ASSERT_TRUE(paired.ok()) << paired.status();
  EXPECT_EQ(Counted("dualreg_pairings_made_total"), 1);
  auto paired_again = Rpc(*pairings_, &v1::PairingService::Stub::CreatePairing, pairing);
  ASSERT_TRUE(paired_again.ok()) << paired_again.status();
  EXPECT_EQ(paired_again->id(), paired->id());
  EXPECT_EQ(Counted("dualreg_pairings_made_total"), 1);
  v1::RecordVisitRequest visit;
  visit.set_pairing_id(paired->id());
  visit.set_note("all well");
  ASSERT_TRUE(Rpc(*pairings_, &v1::PairingService::Stub::RecordVisit, visit).ok());
  EXPECT_EQ(Counted("dualreg_pairing_visits_total"), 1);
  v1::RecordVisitRequest nowhere;
  nowhere.set_pairing_id("pr_none");
  EXPECT_FALSE(Rpc(*pairings_, &v1::PairingService::Stub::RecordVisit, nowhere).ok());
  EXPECT_EQ(Counted("dualreg_pairing_visits_total"), 1);

  v1::RecordMemberEvaluationRequest evaluation;
  evaluation.mutable_evaluation()->set_registration_id(member->id());
  evaluation.mutable_evaluation()->set_year(
      static_cast<int>(absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year()));
  evaluation.mutable_evaluation()->set_grade(v1::EVALUATION_EXCELLENT);
  evaluation.set_request_id("mt-evaluation-1");
  for (int i = 0; i < 2; ++i) {
    auto recorded =
        Rpc(*evaluations_, &v1::MemberEvaluationService::Stub::RecordMemberEvaluation, evaluation);
    ASSERT_TRUE(recorded.ok()) << recorded.status();
    EXPECT_EQ(Counted("dualreg_evaluations_recorded_total"), 1);
  }

  v1::RegisterUnitRequest unit;  // registered by the earlier test, or here
  unit.mutable_unit()->set_organisation_id(kEmployerId);
  unit.mutable_unit()->set_community_id(kCommunityId);
  unit.mutable_unit()->set_resources("a hall");
  unit.mutable_unit()->set_agreement("co-building agreement");
  unit.mutable_unit()->set_valid_until("2099-12-31");
  unit.set_request_id("mt-unit-1");
  auto registered = Rpc(*registrations_, &v1::RegistrationService::Stub::RegisterUnit, unit);
  ASSERT_TRUE(registered.ok()) << registered.status();
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  v1::CreateEmployerReportRequest report;
  report.mutable_report()->set_unit_id(registered->id());
  report.mutable_report()->set_period_start(absl::FormatCivilTime(today - 30));
  report.mutable_report()->set_period_end(absl::FormatCivilTime(today - 1));
  report.set_request_id("mt-report-1");
  for (int i = 0; i < 2; ++i) {
    auto delivered = Rpc(*reports_, &v1::EmployerReportService::Stub::CreateEmployerReport, report);
    ASSERT_TRUE(delivered.ok()) << delivered.status();
    EXPECT_EQ(Counted("dualreg_employer_reports_delivered_total"), 1);
  }
}

}  // namespace
}  // namespace grassroots::dualreg
