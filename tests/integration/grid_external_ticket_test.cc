// Cases other systems push in under their own ticket ids (the 12345
// hotline), against a real MariaDB: a repeated push answers the first
// case whoever sends it (at once too), the case is read back by ticket,
// and the change feed filtered to one system's cases follows them.
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/integration/grid_case_fixture.h"

namespace grassroots::grid::testing {
namespace {

using External = v1::ExternalCaseService::Stub;

class GridExternalTicketTest : public GridCaseTest {
 protected:
  v1::ReportCaseRequest Pushed(const std::string& system, const std::string& ticket, double lat,
                               double lon) {
    v1::ReportCaseRequest r = ReportAt(lat, lon);
    r.mutable_case_()->set_source(v1::Case::OTHER_SYSTEM);
    r.mutable_case_()->set_reporter_ref(ticket);
    r.mutable_case_()->mutable_external_ticket()->set_system(system);
    r.mutable_case_()->mutable_external_ticket()->set_ticket_id(ticket);
    return r;
  }

  absl::StatusOr<v1::ReportCaseResponse> Push(const v1::ReportCaseRequest& r,
                                              const std::string& actor = "hotline") {
    return Rpc(*cases_, &Stub::ReportCase, r, "", actor, kReporter);
  }

  absl::StatusOr<v1::Case> ByTicket(const std::string& system, const std::string& ticket,
                                    const std::string& scope = "") {
    v1::GetCaseByTicketRequest get;
    get.mutable_ticket()->set_system(system);
    get.mutable_ticket()->set_ticket_id(ticket);
    return Rpc(*external_cases_, &External::GetCaseByTicket, get, scope, "hotline", kReporter);
  }

  absl::StatusOr<v1::ListTicketChangesResponse> Changes(const std::string& system, int64_t after,
                                                        int page_size = 0) {
    auto sequenced = CountFigures(*suite_);
    EXPECT_TRUE(sequenced.ok()) << sequenced.status();
    v1::ListTicketChangesRequest list;
    list.set_system(system);
    list.set_after_sequence(after);
    list.set_page_size(page_size);
    return Rpc(*external_cases_, &External::ListTicketChanges, list, "", "hotline", kReporter);
  }

  // A system name of this test's own, so tests sharing the schema do not mix.
  std::string System() { return absl::StrCat("hotline", counter_); }
};

TEST_F(GridExternalTicketTest, ARepeatedPushAnswersTheFirstCaseWhoeverSendsIt) {
  auto first = Push(Pushed(System(), "T-0001", 30.1, 120.1));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->ticket_known());
  EXPECT_EQ(first->case_().external_ticket().ticket_id(), "T-0001");
  // Another caller, other words, somewhere else: still the first case, unchanged.
  auto again = Pushed(System(), "T-0001", 31.0, 121.0);
  again.mutable_case_()->set_description("the same ticket sent again");
  auto second = Push(again, "hotline-replica");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->ticket_known());
  EXPECT_EQ(second->case_().id(), first->case_().id());
  EXPECT_EQ(second->case_().description(), first->case_().description());
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM case_external_tickets WHERE"
                                          " external_system = '",
                                          System(), "'")),
            1);
  // The same ticket id from another system is another case.
  auto other = Push(Pushed(absl::StrCat(System(), "-b"), "T-0001", 32.0, 122.0));
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(other->case_().id(), first->case_().id());

  auto read = ByTicket(System(), "T-0001");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->id(), first->case_().id());
  EXPECT_EQ(read->external_ticket().system(), System());
  auto missing = ByTicket(System(), "T-9999");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorReason(missing.status()), "TICKET_NOT_FOUND");
  // Street s2 does not see a case in s1's grid.
  auto foreign = ByTicket(System(), "T-0001", absl::StrCat(tree_.code, "/s2"));
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(GridExternalTicketTest, TicketsAreCheckedAndNamed) {
  auto bad = Push(Pushed("Hotline 12345", "T-1", 30.2, 120.2));
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorField(bad.status()), "case.external_ticket.system");
  auto empty = Push(Pushed(System(), "", 30.2, 120.2));
  EXPECT_EQ(ErrorField(empty.status()), "case.external_ticket.ticket_id");
  v1::GetCaseByTicketRequest get;
  get.mutable_ticket()->set_system(System());
  auto no_id = Rpc(*external_cases_, &External::GetCaseByTicket, get, "", "hotline", kReporter);
  EXPECT_EQ(ErrorField(no_id.status()), "ticket.ticket_id");
}

TEST_F(GridExternalTicketTest, APushRepeatingAnOpenCaseIsLinkedAndTheTicketFindsIt) {
  const v1::Case open = Report(30.2741, 120.1551);
  auto pushed = Push(Pushed(System(), "T-0002", 30.27411, 120.15511));
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  EXPECT_TRUE(pushed->duplicate());
  EXPECT_EQ(pushed->case_().id(), open.id());
  auto read = ByTicket(System(), "T-0002");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->id(), open.id());
  auto again = Push(Pushed(System(), "T-0002", 30.27411, 120.15511));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->ticket_known());
  EXPECT_EQ(again->case_().duplicate_reports(), 1);
}

TEST_F(GridExternalTicketTest, PushesOfOneTicketAtOnceMakeOneCase) {
  std::vector<std::string> ids(4);
  std::vector<std::thread> pushers;
  for (size_t i = 0; i < ids.size(); ++i) {
    pushers.emplace_back([&, i] {
      auto r = Push(Pushed(System(), "T-RACE", 35.0, 125.0), absl::StrCat("hotline-", i));
      EXPECT_TRUE(r.ok()) << r.status();
      if (r.ok()) ids[i] = r->case_().id();
    });
  }
  for (auto& t : pushers) t.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM cases WHERE reporter_ref ="
                                          " 'T-RACE' AND category_code = '",
                                          category_, "'")),
            1);
}

TEST_F(GridExternalTicketTest, TheFeedFilteredToASystemFollowsItsCasesOnly) {
  auto start = Changes(System(), 0);
  ASSERT_TRUE(start.ok()) << start.status();
  const int64_t cursor = start->last_sequence();
  EXPECT_EQ(start->changes_size(), 0) << "a new system has no changes yet";
  auto pushed = Push(Pushed(System(), "T-0003", 36.0, 126.0));
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  Report(37.0, 127.0);  // not the system's
  ASSERT_TRUE(Push(Pushed(absl::StrCat(System(), "-b"), "T-0003", 38.0, 128.0)).ok());
  Take(&Stub::RegisterCase, StepOn(pushed->case_()), kSupervisor, "supervisor-1");

  auto changes = Changes(System(), cursor);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->changes_size(), 2);
  EXPECT_EQ(changes->changes(0).action(), common::v1::Change::CREATED);
  EXPECT_EQ(changes->changes(0).ticket_id(), "T-0003");
  EXPECT_EQ(changes->changes(0).case_().state(), v1::Case::REPORTED);
  EXPECT_EQ(changes->changes(1).action(), common::v1::Change::UPDATED);
  EXPECT_EQ(changes->changes(1).case_().state(), v1::Case::REGISTERED);
  EXPECT_EQ(changes->changes(1).actor(), "supervisor-1");
  EXPECT_GE(changes->last_sequence(), changes->changes(1).sequence());

  // Page by page with the cursor it hands back.
  auto first = Changes(System(), cursor, 1);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->changes_size(), 1);
  auto second = Changes(System(), first->last_sequence(), 1);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->changes_size(), 1);
  EXPECT_EQ(second->changes(0).case_().state(), v1::Case::REGISTERED);
  auto quiet = Changes(System(), changes->last_sequence());
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  EXPECT_EQ(quiet->changes_size(), 0);
  EXPECT_EQ(quiet->last_sequence(), changes->last_sequence());
}

}  // namespace
}  // namespace grassroots::grid::testing
