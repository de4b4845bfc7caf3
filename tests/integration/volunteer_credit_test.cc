// Inbound credits from other services against a real MariaDB: keyed by the
// caller's event id, applied once however often (and however concurrently)
// the event is delivered, minutes added to the volunteer's record, points
// moved from the volunteer's community's issuing account.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "common/db/transaction.h"
#include "tests/integration/volunteer_fixture.h"

namespace grassroots::volunteer::testing {
namespace {

absl::StatusOr<v1::Credit> Credit(const VolunteerClient& client, const std::string& event,
                                  const std::string& volunteer, int64_t points, int64_t minutes,
                                  const std::string& scope = "") {
  v1::CreditEventRequest request;
  v1::Credit* c = request.mutable_credit();
  c->set_source("dualreg");
  c->set_event_id(event);
  c->set_volunteer_id(volunteer);
  c->set_points(points);
  c->set_minutes(minutes);
  c->set_memo("order completed");
  return client.Rpc(*client.credits_, &v1::CreditService::Stub::CreditEvent, request, scope,
                    "dualreg-relay");
}

TEST_F(VolunteerServiceTest, AnEventIsCreditedOnceHoweverOftenDelivered) {
  auto v = NewVolunteer("ca1/s1/c1");
  ASSERT_TRUE(v.ok()) << v.status();
  std::vector<std::thread> deliveries;
  for (int i = 0; i < 8; ++i) {
    deliveries.emplace_back([&] {
      auto made = Credit(*this, "order-17", v->id(), 5, 90);
      ASSERT_TRUE(made.ok()) << made.status();
      EXPECT_EQ(made->transfer_id(), "credit/dualreg/order-17");
    });
  }
  for (std::thread& t : deliveries) t.join();
  EXPECT_EQ(Balance(v->account_id()), 5);
  EXPECT_EQ(Balance("community/ca1/s1/c1/issuing"), -5);
  auto other = Credit(*this, "order-17", v->id(), 6, 90);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Reason(other.status()), "EVENT_ID_REUSED");
  // Hours alone move no points and still count.
  auto hours = Credit(*this, "order-18", v->id(), 0, 30);
  ASSERT_TRUE(hours.ok()) << hours.status();
  EXPECT_TRUE(hours->transfer_id().empty());
  v1::GetVolunteerRequest get;
  get.set_id(v->id());
  auto record = Rpc(*volunteers_, &v1::VolunteerService::Stub::GetVolunteer, get);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->service_minutes(), 120);
  EXPECT_EQ(Reason(Credit(*this, "order-19", v->id(), 0, 0).status()), "CREDIT_EMPTY");
  EXPECT_EQ(Reason(Credit(*this, "order/19", v->id(), 1, 0).status()), "EVENT_ID_INVALID");
  EXPECT_EQ(Reason(Credit(*this, "order-20", "vl_nobody", 1, 0).status()), "VOLUNTEER_NOT_FOUND");
  EXPECT_EQ(Reason(Credit(*this, "order-21", v->id(), 1, 0, "ca1/s2").status()), "OUT_OF_SCOPE");
}

// The checker ties every credit transfer to its recorded credit by the
// credit's key: a credit renamed behind the service leaves its transfer
// moving points for nothing, and the renamed credit moved by nothing.
TEST_F(VolunteerServiceTest, TheCheckerFindsACreditTransferWithoutItsCredit) {
  auto v = NewVolunteer("ca2/s1/c1");
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_TRUE(Credit(*this, "order-91", v->id(), 4, 30).ok());
  auto rename = [&](const std::string& from, const std::string& to) {
    ASSERT_TRUE(db::RunInTransaction(*Service(*suite_).env().pool, [&](db::Connection& c) {
                  auto& update = c.Prepare(
                      "UPDATE credits SET event_id = ? WHERE source = 'dualreg' AND event_id = ?");
                  update.setString(1, to);
                  update.setString(2, from);
                  update.executeUpdate();
                  return absl::OkStatus();
                }).ok());
  };
  rename("order-91", "order-91x");
  auto check = Check();
  ASSERT_TRUE(check.ok()) << check.status();
  std::set<std::string> subjects;
  for (const v1::Violation& violation : check->violations()) {
    if (violation.rule() == "CREDIT_NOT_APPLIED_ONCE") subjects.insert(violation.subject());
  }
  EXPECT_EQ(subjects, (std::set<std::string>{"credit/dualreg/order-91", "dualreg/order-91x"}));
  rename("order-91x", "order-91");  // restored: TearDown's check passes again
}

// A good deed's points are the community's rule for its type, moved once:
// a retry answers the first result even after the rule changed, a type the
// community gives nothing is refused, and another street cannot record one.
TEST_F(VolunteerServiceTest, AGoodDeedEarnsTheRulesPointsOnce) {
  auto v = NewVolunteer("cg1/s1/c1");
  ASSERT_TRUE(v.ok()) << v.status();
  auto rate = [&](int64_t points) {
    v1::SetPointsRuleRequest rule;
    rule.mutable_rule()->set_community_path("cg1/s1/c1");
    rule.mutable_rule()->set_activity_type("help-elderly");
    rule.mutable_rule()->set_points_per_good_deed(points);
    auto set = Rpc(*activities_, &v1::ActivityService::Stub::SetPointsRule, rule);
    ASSERT_TRUE(set.ok()) << set.status();
  };
  rate(5);
  auto deed = [&](const std::string& id, const std::string& type, const std::string& scope = "") {
    v1::RecordGoodDeedRequest request;
    request.set_volunteer_id(v->id());
    request.set_deed_type(type);
    request.set_description("carried Mrs Wang's shopping up six floors");
    request.set_request_id(id);
    return Rpc(*credits_, &v1::CreditService::Stub::RecordGoodDeed, request, scope);
  };
  auto first = deed("gd-1", "help-elderly");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->points(), 5);
  EXPECT_EQ(first->source(), "deed");
  EXPECT_EQ(first->transfer_id(), "credit/deed/gd-1");
  EXPECT_EQ(first->memo(), "help-elderly: carried Mrs Wang's shopping up six floors");
  EXPECT_EQ(Balance(v->account_id()), 5);
  rate(8);
  auto retried = deed("gd-1", "help-elderly");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->points(), 5);
  EXPECT_EQ(Balance(v->account_id()), 5);
  auto second = deed("gd-2", "help-elderly");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->points(), 8);
  EXPECT_EQ(Balance(v->account_id()), 13);
  EXPECT_EQ(Balance("community/cg1/s1/c1/issuing"), -13);

  EXPECT_EQ(Reason(deed("gd-3", "tidy-stairs").status()), "GOOD_DEED_NOT_RATED");
  EXPECT_EQ(Reason(deed("gd-1", "tidy-stairs").status()), "EVENT_ID_REUSED");
  EXPECT_EQ(Reason(deed("gd-4", "help-elderly", "cg1/s2").status()), "OUT_OF_SCOPE");
  EXPECT_EQ(Reason(deed("gd/5", "help-elderly").status()), "REQUEST_ID_INVALID");
  EXPECT_EQ(Reason(deed("gd-6", "Help Elderly").status()), "DEED_TYPE_INVALID");
  EXPECT_EQ(Balance(v->account_id()), 13);
}

}  // namespace
}  // namespace grassroots::volunteer::testing
