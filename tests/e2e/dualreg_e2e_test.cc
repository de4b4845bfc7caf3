// dualreg with the real processes: registrations checked in orgs, yearly
// evaluations reaching the employer's report, an order round on both edges
// with the scope and role refusals, an unmatched need reaching orgs' needs
// list, and the fault test: volunteer stopped while a hundred orders are
// confirmed, every member credited exactly once when it is back, and
// volunteer's ledger checker passing.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/time/proto_time.h"
#include "grassroots/dualreg/v1/evaluation.pb.h"
#include "grassroots/dualreg/v1/order.grpc.pb.h"
#include "grassroots/dualreg/v1/pairing.grpc.pb.h"
#include "grassroots/dualreg/v1/post.grpc.pb.h"
#include "grassroots/dualreg/v1/registration.grpc.pb.h"
#include "grassroots/dualreg/v1/report.grpc.pb.h"
#include "grassroots/orgs/v1/co_building.grpc.pb.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "tests/e2e/dualreg_gateway_fixture.h"

namespace grassroots::testing {
namespace {

using dualreg::v1::Order;

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &message).ok()) << json;
  return message;
}

// Tomorrow at 10:00 in UTC+8, when the seeded members are available.
absl::Time TomorrowMorning() {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now() + absl::Hours(8), absl::UTCTimeZone());
  return absl::FromCivil(absl::CivilMinute(today + 1) + 10 * 60, absl::UTCTimeZone()) -
         absl::Hours(8);
}

class DualregE2eTest : public DualregGatewayTest {
 protected:
  void SetUp() override {
    DualregGatewayTest::SetUp();
    orders_ = dualreg::v1::OrderService::NewStub(GatewayChannel());
    registrations_stub_ = dualreg::v1::RegistrationService::NewStub(GatewayChannel());
  }

  dualreg::v1::CreateOrderRequest NewOrder(const std::string& skill) {
    dualreg::v1::CreateOrderRequest request;
    Order* order = request.mutable_order();
    order->set_community_id(c1_);
    order->set_household_id("hh_e2e_1");
    order->set_skill(skill);
    order->set_description("the kitchen tap leaks");
    ToProtoTime(TomorrowMorning(), order->mutable_requested_time());
    order->set_duration_minutes(60);
    return request;
  }

  // One order from create to confirmation through the gateway's gRPC edge.
  Order RoundTrip(const dualreg::v1::MemberRegistration& to, int minutes) {
    Order order;
    auto create = NewOrder("repair");
    EXPECT_TRUE(orders_->CreateOrder(Context("resident-secret").get(), create, &order).ok());
    dualreg::v1::DispatchOrderRequest dispatch;
    dispatch.set_id(order.id());
    dispatch.add_registration_ids(to.id());
    EXPECT_TRUE(orders_->DispatchOrder(Context("branch-secret").get(), dispatch, &order).ok());
    dualreg::v1::TakeOrderRequest take;
    take.set_id(order.id());
    take.set_registration_id(to.id());
    EXPECT_TRUE(orders_->TakeOrder(Context("branch-secret").get(), take, &order).ok());
    dualreg::v1::CompleteOrderRequest complete;
    complete.set_id(order.id());
    complete.set_minutes(minutes);
    EXPECT_TRUE(orders_->CompleteOrder(Context("branch-secret").get(), complete, &order).ok());
    dualreg::v1::ConfirmOrderRequest confirm;
    confirm.set_id(order.id());
    const grpc::Status status =
        orders_->ConfirmOrder(Context("resident-secret").get(), confirm, &order);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return order;
  }

  Order Get(const std::string& id) {
    dualreg::v1::GetOrderRequest request;
    request.set_id(id);
    Order order;
    EXPECT_TRUE(orders_->GetOrder(Context("city-secret").get(), request, &order).ok());
    return order;
  }

  // Waits (up to 15 s) until `done` holds for the order.
  bool WaitFor(const std::string& id, const std::function<bool(const Order&)>& done) {
    for (int i = 0; i < 150; ++i) {
      if (done(Get(id))) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  // A call through the gateway, retried while it answers UNAVAILABLE (up to
  // 15 s): after volunteer restarts, the gateway's channel to it reconnects
  // with backoff, as any client of a restarted service sees.
  template <typename Call>
  grpc::Status UntilAvailable(Call call) {
    grpc::Status status;
    for (int i = 0; i < 150; ++i) {
      status = call();
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return status;
  }

  int64_t Balance(const std::string& volunteer_id) {
    auto ledger = volunteer::v1::LedgerService::NewStub(GatewayChannel());
    volunteer::v1::GetAccountRequest request;
    request.set_id(absl::StrCat("volunteer/", volunteer_id));
    volunteer::v1::Account account;
    const grpc::Status status = UntilAvailable(
        [&] { return ledger->GetAccount(Context("city-secret").get(), request, &account); });
    EXPECT_TRUE(status.ok()) << status.error_message();
    return account.balance();
  }

  int64_t ServiceMinutes(const std::string& volunteer_id) {
    auto volunteers = volunteer::v1::VolunteerService::NewStub(GatewayChannel());
    volunteer::v1::GetVolunteerRequest request;
    request.set_id(volunteer_id);
    volunteer::v1::Volunteer volunteer;
    const grpc::Status status = UntilAvailable([&] {
      return volunteers->GetVolunteer(Context("city-secret").get(), request, &volunteer);
    });
    EXPECT_TRUE(status.ok()) << status.error_message();
    return volunteer.service_minutes();
  }

  void ExpectLedgerSound() {
    auto ledger = volunteer::v1::LedgerService::NewStub(GatewayChannel());
    volunteer::v1::CheckInvariantsResponse check;
    const grpc::Status status = UntilAvailable([&] {
      return ledger->CheckInvariants(Context("city-secret").get(),
                                     volunteer::v1::CheckInvariantsRequest(), &check);
    });
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(check.violations_size(), 0) << check.DebugString();
    EXPECT_EQ(check.balance_sum(), 0);
  }

  std::unique_ptr<dualreg::v1::OrderService::Stub> orders_;
  std::unique_ptr<dualreg::v1::RegistrationService::Stub> registrations_stub_;
};

TEST_F(DualregE2eTest, RegistrationsAreCheckedInOrgsAndCovered) {
  Seed(2);
  // Registered before its members joined: renewing counts them again in orgs.
  auto report = PostJson("dualreg.v1.RegistrationService/GetCoverageReport",
                         R"({"path":"dr-d/s1"})", "branch-secret");
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(FromJson<dualreg::v1::CoverageReport>(report.body).in_service_members(), 0);
  dualreg::v1::RenewUnitRequest renew;
  renew.set_id(unit_id_);
  renew.set_valid_until("2100-06-30");
  dualreg::v1::UnitRegistration unit;
  ASSERT_TRUE(registrations_stub_->RenewUnit(Context("branch-secret").get(), renew, &unit).ok());
  EXPECT_EQ(unit.in_service_members(), 2);
  report = PostJson("dualreg.v1.RegistrationService/GetCoverageReport", R"({"path":"dr-d/s1"})",
                    "branch-secret");
  const auto coverage = FromJson<dualreg::v1::CoverageReport>(report.body);
  ASSERT_EQ(coverage.employers_size(), 1);
  EXPECT_EQ(coverage.employers(0).registered_members(), 2);
  EXPECT_DOUBLE_EQ(coverage.coverage(), 1.0);
  ASSERT_EQ(coverage.communities_size(), 1);
  EXPECT_EQ(coverage.communities(0).registered_members(), 2);

  // A post of one place: the first claim takes it, the second is refused.
  auto post = PostJson("dualreg.v1.PostService/CreatePost",
                       absl::StrCat(R"({"post":{"communityId":")", c1_,
                                    R"(","type":"elderly-care","title":"Calls to elderly)",
                                    R"( neighbours","capacity":1}})"),
                       "branch-secret");
  ASSERT_EQ(post.status, 200) << post.body;
  const std::string post_id = FromJson<dualreg::v1::Post>(post.body).id();
  auto claim = [&](const std::string& registration) {
    return PostJson(
        "dualreg.v1.PostService/ClaimPost",
        absl::StrCat(R"({"postId":")", post_id, R"(","registrationId":")", registration, "\"}"),
        "branch-secret");
  };
  EXPECT_EQ(claim(registrations_[0].id()).status, 200);
  const auto full = claim(registrations_[1].id());
  EXPECT_NE(full.status, 200);
  EXPECT_NE(full.body.find("POST_FULL"), std::string::npos) << full.body;
  // A pairing and its visit.
  auto pairings = dualreg::v1::PairingService::NewStub(GatewayChannel());
  dualreg::v1::CreatePairingRequest pair;
  pair.mutable_pairing()->set_registration_id(registrations_[1].id());
  pair.mutable_pairing()->set_household_id("hh_e2e_alone");
  pair.mutable_pairing()->set_need(dualreg::v1::ELDERLY_ALONE);
  dualreg::v1::Pairing pairing;
  ASSERT_TRUE(pairings->CreatePairing(Context("branch-secret").get(), pair, &pairing).ok());
  auto visit = PostJson("dualreg.v1.PairingService/RecordVisit",
                        absl::StrCat(R"({"pairingId":")", pairing.id(), R"(","note":"tea"})"),
                        "branch-secret");
  ASSERT_EQ(visit.status, 200) << visit.body;
  EXPECT_EQ(FromJson<dualreg::v1::Pairing>(visit.body).visits(), 1);
  // The community's yearly evaluation: the branch records it by JSON; a
  // resident may not, a failing grade needs its reason, and the far
  // street's branch does not see the member.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  const std::string year = absl::StrCat(today.year());
  auto evaluate = [&](const std::string& registration, const std::string& grade,
                      const std::string& comment, const std::string& secret) {
    return PostJson(
        "dualreg.v1.MemberEvaluationService/RecordMemberEvaluation",
        absl::StrCat(R"({"evaluation":{"registrationId":")", registration, R"(","year":)", year,
                     R"(,"grade":")", grade, R"(","comment":")", comment, R"("}})"),
        secret);
  };
  EXPECT_EQ(evaluate(registrations_[0].id(), "EVALUATION_EXCELLENT", "", "resident-secret").status,
            403);
  const auto no_reason =
      evaluate(registrations_[1].id(), "EVALUATION_INCOMPETENT", "", "branch-secret");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_NE(no_reason.body.find("REASON_REQUIRED"), std::string::npos) << no_reason.body;
  EXPECT_EQ(evaluate(registrations_[0].id(), "EVALUATION_EXCELLENT", "", "far-secret").status, 403);
  const auto evaluated =
      evaluate(registrations_[0].id(), "EVALUATION_EXCELLENT", "helps every week", "branch-secret");
  ASSERT_EQ(evaluated.status, 200) << evaluated.body;
  EXPECT_EQ(FromJson<dualreg::v1::MemberEvaluation>(evaluated.body).posts_claimed(), 1);
  auto unevaluated = PostJson("dualreg.v1.MemberEvaluationService/ListUnevaluatedMembers",
                              absl::StrCat(R"({"year":)", year, "}"), "branch-secret");
  ASSERT_EQ(unevaluated.status, 200) << unevaluated.body;
  const auto still = FromJson<dualreg::v1::ListUnevaluatedMembersResponse>(unevaluated.body);
  ASSERT_EQ(still.members_size(), 1);
  EXPECT_EQ(still.members(0).registration_id(), registrations_[1].id());
  EXPECT_EQ(still.registered_members(), 2);
  EXPECT_EQ(still.evaluated_members(), 1);
  // The employer's report for the last 30 days, with the evaluation,
  // delivered and acknowledged.
  auto reports = dualreg::v1::EmployerReportService::NewStub(GatewayChannel());
  dualreg::v1::CreateEmployerReportRequest report_request;
  report_request.mutable_report()->set_unit_id(unit_id_);
  report_request.mutable_report()->set_period_start(absl::FormatCivilTime(today - 30));
  report_request.mutable_report()->set_period_end(absl::FormatCivilTime(today));
  dualreg::v1::EmployerReport employer_report;
  ASSERT_TRUE(
      reports
          ->CreateEmployerReport(Context("branch-secret").get(), report_request, &employer_report)
          .ok());
  EXPECT_EQ(employer_report.state(), dualreg::v1::DELIVERED);
  ASSERT_EQ(employer_report.members_size(), 2);
  int excellent = 0;
  for (const auto& line : employer_report.members()) {
    if (line.registration_id() != registrations_[0].id()) continue;
    EXPECT_EQ(line.evaluation_year(), today.year());
    excellent += line.evaluation_grade() == dualreg::v1::EVALUATION_EXCELLENT;
  }
  EXPECT_EQ(excellent, 1);
  dualreg::v1::AcknowledgeEmployerReportRequest acknowledge;
  acknowledge.set_id(employer_report.id());
  EXPECT_EQ(
      reports
          ->AcknowledgeEmployerReport(Context("branch-secret").get(), acknowledge, &employer_report)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      reports
          ->AcknowledgeEmployerReport(Context("city-secret").get(), acknowledge, &employer_report)
          .ok());
  EXPECT_EQ(employer_report.state(), dualreg::v1::ACKNOWLEDGED);

  // One active registration per member.
  dualreg::v1::RegisterMemberRequest again;
  *again.mutable_registration() = registrations_[0];
  again.mutable_registration()->clear_id();
  dualreg::v1::MemberRegistration refused;
  grpc::Status status =
      registrations_stub_->RegisterMember(Context("branch-secret").get(), again, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  // A member orgs does not know: a scoped branch cannot tell it from one
  // outside its jurisdiction; the city is told which field is wrong.
  again.mutable_registration()->set_member_id("mb_0000000000000000000000000000");
  status = registrations_stub_->RegisterMember(Context("branch-secret").get(), again, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  status = registrations_stub_->RegisterMember(Context("city-secret").get(), again, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  // Moving home to s2's community is outside the s1 branch's jurisdiction;
  // the city moves it, and s1's listing no longer shows it.
  dualreg::v1::MoveMemberHomeRequest move;
  move.set_id(registrations_[0].id());
  move.set_community_id(c2_);
  dualreg::v1::MemberRegistration moved;
  status = registrations_stub_->MoveMemberHome(Context("branch-secret").get(), move, &moved);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(registrations_stub_->MoveMemberHome(Context("city-secret").get(), move, &moved).ok());
  EXPECT_EQ(moved.community_path(), "dr-d/s2/c2");
  auto listed =
      PostJson("dualreg.v1.RegistrationService/ListMemberRegistrations", "{}", "branch-secret");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(
      FromJson<dualreg::v1::ListMemberRegistrationsResponse>(listed.body).registrations_size(), 1);
}

TEST_F(DualregE2eTest, AnOrderGoesRoundOnBothEdgesAndCreditsTheMember) {
  Seed(2);
  std::string create_json;
  auto create = NewOrder("repair");
  create.set_request_id("order-1");
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(create, &create_json).ok());
  auto created = PostJson("dualreg.v1.OrderService/CreateOrder", create_json, "resident-secret");
  ASSERT_EQ(created.status, 200) << created.body;
  const Order first = FromJson<Order>(created.body);
  EXPECT_EQ(first.state(), dualreg::v1::ORDERED);
  EXPECT_EQ(first.ordered_by(), "resident-1");
  auto replay = PostJson("dualreg.v1.OrderService/CreateOrder", create_json, "resident-secret");
  EXPECT_EQ(FromJson<Order>(replay.body).id(), first.id());

  // A resident cannot dispatch (the gateway refuses the role); another
  // street's branch cannot see the order.
  dualreg::v1::DispatchOrderRequest dispatch;
  dispatch.set_id(first.id());
  Order order;
  EXPECT_EQ(orders_->DispatchOrder(Context("resident-secret").get(), dispatch, &order).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto far = PostJson("dualreg.v1.OrderService/GetOrder",
                      absl::StrCat(R"({"id":")", first.id(), "\"}"), "far-secret");
  EXPECT_EQ(far.status, 403) << far.body;

  ASSERT_TRUE(orders_->DispatchOrder(Context("branch-secret").get(), dispatch, &order).ok());
  EXPECT_EQ(order.state(), dualreg::v1::DISPATCHED);
  ASSERT_EQ(order.offered_registration_ids_size(), 1);
  const std::string taker = order.offered_registration_ids(0);
  auto taken =
      PostJson("dualreg.v1.OrderService/TakeOrder",
               absl::StrCat(R"({"id":")", first.id(), R"(","registrationId":")", taker, "\"}"),
               "branch-secret");
  ASSERT_EQ(taken.status, 200) << taken.body;
  EXPECT_EQ(FromJson<Order>(taken.body).state(), dualreg::v1::TAKEN);
  dualreg::v1::CompleteOrderRequest complete;
  complete.set_id(first.id());
  complete.set_minutes(45);
  ASSERT_TRUE(orders_->CompleteOrder(Context("branch-secret").get(), complete, &order).ok());

  // The branch cannot confirm its own work; the resident does.
  const std::string confirm_json = absl::StrCat(R"({"id":")", first.id(), "\"}");
  EXPECT_EQ(PostJson("dualreg.v1.OrderService/ConfirmOrder", confirm_json, "branch-secret").status,
            403);
  auto confirmed =
      PostJson("dualreg.v1.OrderService/ConfirmOrder", confirm_json, "resident-secret");
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(FromJson<Order>(confirmed.body).state(), dualreg::v1::CONFIRMED);
  ASSERT_TRUE(WaitFor(first.id(), [](const Order& o) {
    return o.credit_state() == dualreg::v1::CREDIT_DELIVERED;
  }));
  const std::string volunteer_id =
      registrations_[0].id() == taker ? volunteer_ids_[0] : volunteer_ids_[1];
  EXPECT_EQ(Balance(volunteer_id), 5);
  EXPECT_EQ(ServiceMinutes(volunteer_id), 45);

  auto rated =
      PostJson("dualreg.v1.OrderService/RateOrder",
               absl::StrCat(R"({"id":")", first.id(), R"(","rating":5})"), "resident-secret");
  ASSERT_EQ(rated.status, 200) << rated.body;
  dualreg::v1::GetServiceFiguresRequest figures_request;
  figures_request.set_path("dr-d");
  dualreg::v1::ServiceFigures figures;
  ASSERT_TRUE(
      orders_->GetServiceFigures(Context("city-secret").get(), figures_request, &figures).ok());
  EXPECT_EQ(figures.registered_members(), 2);
  EXPECT_EQ(figures.serving_members(), 1);
  EXPECT_EQ(figures.confirmed_orders(), 1);
  EXPECT_EQ(figures.households_served(), 1);
  EXPECT_DOUBLE_EQ(figures.mean_rating(), 5.0);

  // Nobody registered tutors: the need goes onto orgs' needs list.
  Order unmatched;
  ASSERT_TRUE(
      orders_->CreateOrder(Context("resident-secret").get(), NewOrder("tutoring"), &unmatched)
          .ok());
  dispatch.set_id(unmatched.id());
  ASSERT_TRUE(orders_->DispatchOrder(Context("branch-secret").get(), dispatch, &unmatched).ok());
  EXPECT_EQ(unmatched.state(), dualreg::v1::UNMATCHED);
  ASSERT_TRUE(WaitFor(unmatched.id(), [](const Order& o) { return !o.need_published().empty(); }));
  auto needs = orgs::v1::ResourceMatchingService::NewStub(GatewayChannel());
  orgs::v1::ListNeedsRequest list_needs;
  list_needs.set_area_id(c1_);
  orgs::v1::ListNeedsResponse listed;
  ASSERT_TRUE(needs->ListNeeds(Context("city-secret").get(), list_needs, &listed).ok());
  ASSERT_EQ(listed.needs_size(), 1);
  EXPECT_EQ(listed.needs(0).id(), Get(unmatched.id()).need_published());
  ExpectLedgerSound();
}

TEST_F(DualregE2eTest, VolunteerDownWhileAHundredOrdersAreConfirmed) {
  Seed(4);
  StopVolunteer();
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const Order order = RoundTrip(registrations_[i % 4], 30);
    ASSERT_EQ(order.state(), dualreg::v1::CONFIRMED) << i;
    ids.push_back(order.id());
  }
  EXPECT_EQ(Get(ids.front()).credit_state(), dualreg::v1::CREDIT_PENDING);
  StartVolunteer();
  for (const std::string& id : ids) {
    ASSERT_TRUE(WaitFor(id, [](const Order& o) {
      return o.credit_state() == dualreg::v1::CREDIT_DELIVERED;
    })) << id;
  }
  for (const std::string& volunteer_id : volunteer_ids_) {
    EXPECT_EQ(Balance(volunteer_id), 25 * 5);
    EXPECT_EQ(ServiceMinutes(volunteer_id), 25 * 30);
  }
  ExpectLedgerSound();
}

}  // namespace
}  // namespace grassroots::testing
