// Visits against a real MariaDB: logged only by the grid's staff on the
// day, idempotent, in the caller's scope; the overdue report's boundaries,
// order and pages from the last visit kept with each visit; counts per
// worker by grid and by street; a grid worker logs only its own visits.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"
#include "common/time/proto_time.h"
#include "tests/integration/grid_fixture.h"

namespace grassroots::grid::testing {
namespace {

using ::grassroots::testing::QueryInt;
using Stub = v1::VisitService::Stub;

constexpr absl::Duration kDay = absl::Hours(24);

absl::CivilDay Today() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }

class VisitTest : public GridServiceTest {
 protected:
  // A grid of `tree`'s community c1 with a unit, its worker careers:<code>-wk
  // on the staff since 2026-01-01.
  struct Place {
    Tree tree;
    v1::Grid grid;
    Block block;
    std::string worker;
  };
  Place MakePlace(const std::string& code) {
    Place p;
    p.tree = MakeTree(code);
    p.grid = *CreateGrid(p.tree.c1, "g01");
    p.block = MakeBlock(p.grid.id());
    p.worker = absl::StrCat("careers:", code, "-wk");
    Assign(p.grid.id(), p.worker, "2020-01-01");
    return p;
  }
  void Assign(const std::string& grid, const std::string& person, const std::string& start,
              const std::string& end = "") {
    v1::AssignStaffRequest request;
    auto* a = request.mutable_assignment();
    a->set_grid_id(grid);
    a->set_role(v1::GRID_WORKER);
    a->set_person_ref(person);
    a->set_person_name("李小红");
    a->set_start_date(start);
    a->set_end_date(end);
    auto made = Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff, request);
    ASSERT_TRUE(made.ok()) << made.status();
  }
  std::string KeyHousehold(const std::string& unit, const std::string& address, int interval) {
    v1::CreateHouseholdRequest request;
    auto* h = request.mutable_household();
    h->set_unit_id(unit);
    h->set_address(address);
    h->set_head_name("赵大爷");
    h->set_resident_count(1);
    h->set_key_household(true);
    h->set_key_reason("elderly living alone");
    h->set_visit_interval_days(interval);
    auto made = Rpc(*households_, &v1::HouseholdService::Stub::CreateHousehold, request);
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() ? made->id() : "";
  }
  std::string KeyPerson(const std::string& grid, int interval) {
    v1::CreateKeyPersonRequest request;
    auto* k = request.mutable_key_person();
    k->set_grid_id(grid);
    k->set_category(v1::DISABLED);
    k->set_name("钱多多");
    k->set_reason("uses a wheelchair");
    k->set_visit_interval_days(interval);
    auto made = Rpc(*key_persons_, &v1::KeyPersonService::Stub::CreateKeyPerson, request);
    EXPECT_TRUE(made.ok()) << made.status();
    return made.ok() ? made->id() : "";
  }
  struct Log {
    std::string household = "";
    std::string key_person = "";
    std::string worker = "";
    v1::VisitKind kind = v1::DOOR_VISIT;
    absl::Duration ago = absl::ZeroDuration();  // now: today's UTC day
    bool follow_up = false;
    std::string request_id = "";
  };
  static v1::LogVisitRequest Request(const Log& log) {
    v1::LogVisitRequest request;
    auto* v = request.mutable_visit();
    v->set_household_id(log.household);
    v->set_key_person_id(log.key_person);
    v->set_worker_ref(log.worker);
    v->set_kind(log.kind);
    ToProtoTime(absl::Now() - log.ago, v->mutable_visit_time());
    v->set_findings("all well; the stairwell light is out");
    v->set_follow_up_needed(log.follow_up);
    request.set_request_id(log.request_id);
    return request;
  }
  absl::StatusOr<v1::Visit> LogVisit(const Log& log, const std::string& scope = "") {
    return Rpc(*visits_, &Stub::LogVisit, Request(log), scope);
  }
  absl::StatusOr<v1::ListOverdueVisitsResponse> Overdue(
      const std::string& grid, const std::string& area, absl::CivilDay as_of,
      const std::string& scope = "", int page_size = 0, const std::string& token = "") {
    v1::ListOverdueVisitsRequest request;
    request.set_grid_id(grid);
    request.set_area_path(area);
    request.set_as_of(DateText(as_of));
    request.set_page_size(page_size);
    request.set_page_token(token);
    return Rpc(*visits_, &Stub::ListOverdueVisits, request, scope);
  }
};

TEST_F(VisitTest, OnlyTheGridsStaffOnTheDayLogsAndAReplayAnswersTheFirst) {
  Place p = MakePlace("vs1");
  const std::string home = KeyHousehold(p.block.unit, "101", 7);
  auto first = LogVisit({.household = home, .worker = p.worker, .request_id = "v-1"});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->grid_id(), p.grid.id());
  EXPECT_EQ(first->grid_path(), "vs1/s1/c1/g01");
  EXPECT_EQ(first->worker_name(), "李*红");
  auto replay = LogVisit({.household = home, .worker = p.worker, .request_id = "v-1"});
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->id(), first->id());
  EXPECT_EQ(
      QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM visits WHERE subject_id = '", home, "'")),
      1);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT visits FROM visit_worker_days WHERE"
                                          " worker_ref = '",
                                          p.worker, "'")),
            1);
  v1::GetVisitRequest get;
  get.set_id(first->id());
  auto read = Rpc(*visits_, &Stub::GetVisit, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->household_id(), home);
  EXPECT_EQ(read->findings(), "all well; the stairwell light is out");

  // Someone not on the staff, and someone whose assignment ended before the day.
  auto stranger = LogVisit({.household = home, .worker = "careers:nobody"});
  EXPECT_EQ(Reason(stranger.status()), "WORKER_NOT_ASSIGNED");
  EXPECT_EQ(ErrorField(stranger.status()).value_or(""), "visit.worker_ref");
  Assign(p.grid.id(), "careers:vs1-gone", "2020-01-01", DateText(Today() - 10));
  EXPECT_EQ(
      Reason(
          LogVisit({.household = home, .worker = "careers:vs1-gone", .ago = 10 * kDay}).status()),
      "WORKER_NOT_ASSIGNED");
  EXPECT_TRUE(LogVisit({.household = home, .worker = "careers:vs1-gone", .ago = 11 * kDay}).ok());
  // The staff of another grid do not visit this one.
  auto other = *CreateGrid(p.tree.c2, "g02");
  Assign(other.id(), "careers:vs1-other", "2020-01-01");
  EXPECT_EQ(Reason(LogVisit({.household = home, .worker = "careers:vs1-other"}).status()),
            "WORKER_NOT_ASSIGNED");
  EXPECT_EQ(Reason(LogVisit({.household = "hh_missing", .worker = p.worker}).status()),
            "HOUSEHOLD_NOT_FOUND");
  EXPECT_EQ(Reason(LogVisit({.household = home, .worker = p.worker, .ago = -kDay}).status()),
            "VISIT_IN_FUTURE");
}

TEST_F(VisitTest, TheOverdueReportCountsDoorVisitsFromTheLastOneOrFromBeingRecorded) {
  Place p = MakePlace("vs2");
  const std::string on_time = KeyHousehold(p.block.unit, "101", 7);
  const std::string late = KeyHousehold(p.block.unit, "102", 7);
  const std::string phoned = KeyHousehold(p.block.unit, "103", 14);
  auto plain = AddHousehold(p.block.unit, "104");  // not a key household
  ASSERT_TRUE(plain.ok()) << plain.status();
  const std::string person = KeyPerson(p.grid.id(), 7);
  // Exactly the interval ago: due today, still in time.
  ASSERT_TRUE(LogVisit({.household = on_time, .worker = p.worker, .ago = 7 * kDay}).ok());
  auto visited = LogVisit({.household = late, .worker = p.worker, .ago = 20 * kDay});
  ASSERT_TRUE(visited.ok()) << visited.status();
  // A visit logged late from an offline phone does not move the last one back.
  ASSERT_TRUE(LogVisit({.household = late, .worker = p.worker, .ago = 40 * kDay}).ok());
  ASSERT_TRUE(LogVisit({.household = phoned, .worker = p.worker, .ago = 30 * kDay}).ok());
  // A phone call yesterday is a contact, not a visit.
  ASSERT_TRUE(
      LogVisit({.household = phoned, .worker = p.worker, .kind = v1::PHONE, .ago = kDay}).ok());
  ASSERT_TRUE(LogVisit({.household = plain->id(), .worker = p.worker, .ago = 50 * kDay}).ok());

  auto today = Overdue(p.grid.id(), "", Today());
  ASSERT_TRUE(today.ok()) << today.status();
  ASSERT_EQ(today->overdue_size(), 2) << today->DebugString();
  // Most overdue first: 30 days ago every 14 (16 over), 20 days ago every 7 (13 over).
  EXPECT_EQ(today->overdue(0).household_id(), phoned);
  EXPECT_EQ(today->overdue(0).days_overdue(), 16);
  EXPECT_TRUE(today->overdue(0).has_last_contact_time());
  EXPECT_GT(today->overdue(0).last_contact_time().seconds(),
            today->overdue(0).last_visit_time().seconds());
  const v1::OverdueVisit& row = today->overdue(1);
  EXPECT_EQ(row.household_id(), late);
  EXPECT_EQ(row.days_overdue(), 13);
  EXPECT_EQ(row.last_visit_id(), visited->id());
  EXPECT_EQ(row.last_worker_ref(), p.worker);
  EXPECT_EQ(row.due_date(), DateText(Today() - 13));
  EXPECT_EQ(row.label(), "102");
  EXPECT_EQ(row.visit_interval_days(), 7);

  // Tomorrow the one visited on time is one day over; in eight days the key
  // person, never visited since recorded today, is too.
  auto tomorrow = Overdue(p.grid.id(), "", Today() + 1);
  ASSERT_TRUE(tomorrow.ok()) << tomorrow.status();
  ASSERT_EQ(tomorrow->overdue_size(), 3);
  EXPECT_EQ(tomorrow->overdue(2).household_id(), on_time);
  EXPECT_EQ(tomorrow->overdue(2).days_overdue(), 1);
  auto later = Overdue(p.grid.id(), "", Today() + 8);
  ASSERT_TRUE(later.ok()) << later.status();
  ASSERT_EQ(later->overdue_size(), 4);
  EXPECT_EQ(later->overdue(3).key_person_id(), person);
  EXPECT_EQ(later->overdue(3).days_overdue(), 1);
  EXPECT_TRUE(later->overdue(3).last_visit_id().empty());
  EXPECT_EQ(later->overdue(3).label(), "钱*多");

  // Visiting today clears it; pages of one walk the rest in the same order.
  ASSERT_TRUE(LogVisit({.key_person = person, .worker = p.worker}).ok());
  std::vector<std::string> walked;
  std::string token;
  do {
    auto page = Overdue(p.grid.id(), "", Today() + 7, "", 1, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& o : page->overdue()) walked.push_back(o.household_id() + o.key_person_id());
    token = page->next_page_token();
  } while (!token.empty());
  EXPECT_EQ(walked, (std::vector<std::string>{phoned, late, on_time}));
  EXPECT_EQ(Reason(Overdue(p.grid.id(), "", Today() - 1).status()), "AS_OF_IN_PAST");
}

TEST_F(VisitTest, AStreetSeesAndLogsOnlyItsOwn) {
  Place p = MakePlace("vs3");
  const std::string home = KeyHousehold(p.block.unit, "101", 7);
  auto visit = LogVisit({.household = home, .worker = p.worker, .ago = 9 * kDay});
  ASSERT_TRUE(visit.ok()) << visit.status();
  const std::string s1 = "vs3/s1", s2 = "vs3/s2";
  EXPECT_EQ(Reason(LogVisit({.household = home, .worker = p.worker}, s2).status()), "OUT_OF_SCOPE");
  EXPECT_TRUE(LogVisit({.household = home, .worker = p.worker, .ago = 30 * kDay}, s1).ok());
  v1::GetVisitRequest get;
  get.set_id(visit->id());
  EXPECT_EQ(Reason(Rpc(*visits_, &Stub::GetVisit, get, s2).status()), "OUT_OF_SCOPE");
  v1::ListVisitsRequest by_home;
  by_home.set_household_id(home);
  EXPECT_EQ(Reason(Rpc(*visits_, &Stub::ListVisits, by_home, s2).status()), "OUT_OF_SCOPE");
  v1::ListVisitsRequest by_worker;
  by_worker.set_worker_ref(p.worker);
  auto none = Rpc(*visits_, &Stub::ListVisits, by_worker, s2);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->visits_size(), 0);
  // The report: another street's area refused, its own scope empty of s1's rows.
  EXPECT_EQ(Reason(Overdue("", s1, Today(), s2).status()), "OUT_OF_SCOPE");
  EXPECT_EQ(Reason(Overdue(p.grid.id(), "", Today(), s2).status()), "OUT_OF_SCOPE");
  auto own = Overdue("", "", Today(), s2);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->overdue_size(), 0);
  // s1 by community and by street, and the whole city, see the household.
  for (const auto& [area, scope] : std::vector<std::pair<std::string, std::string>>{
           {"vs3/s1/c1", s1}, {"", s1}, {"vs3/s1", ""}}) {
    auto seen = Overdue("", area, Today(), scope);
    ASSERT_TRUE(seen.ok()) << seen.status();
    ASSERT_EQ(seen->overdue_size(), 1) << area << " in " << scope;
    EXPECT_EQ(seen->overdue(0).household_id(), home);
    EXPECT_EQ(seen->overdue(0).days_overdue(), 2);
  }
}

TEST_F(VisitTest, ListingsAndCountsPerWorkerByGridAndByStreet) {
  Place p = MakePlace("vs4");
  auto second = *CreateGrid(p.tree.c2, "g02");  // street s1 too
  Block second_block = MakeBlock(second.id());
  Assign(second.id(), p.worker, "2020-01-01");
  Assign(second.id(), "careers:vs4-b", "2020-01-01");
  const std::string home = KeyHousehold(p.block.unit, "101", 7);
  auto other = AddHousehold(second_block.unit, "201");
  ASSERT_TRUE(other.ok()) << other.status();
  const std::string person = KeyPerson(p.grid.id(), 30);
  ASSERT_TRUE(LogVisit({.household = home, .worker = p.worker, .ago = 3 * kDay}).ok());
  ASSERT_TRUE(LogVisit({.household = home,
                        .worker = p.worker,
                        .kind = v1::PHONE,
                        .ago = 2 * kDay,
                        .follow_up = true})
                  .ok());
  ASSERT_TRUE(LogVisit({.key_person = person, .worker = p.worker, .ago = kDay}).ok());
  ASSERT_TRUE(LogVisit({.household = other->id(), .worker = p.worker, .ago = kDay}).ok());
  ASSERT_TRUE(LogVisit({.household = other->id(), .worker = "careers:vs4-b"}).ok());

  // Newest first, by grid, then in pages of two over the worker's visits.
  v1::ListVisitsRequest by_grid;
  by_grid.set_grid_id(p.grid.id());
  auto listed = Rpc(*visits_, &Stub::ListVisits, by_grid);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->visits_size(), 3);
  EXPECT_EQ(listed->visits(0).key_person_id(), person);
  EXPECT_EQ(listed->visits(2).kind(), v1::DOOR_VISIT);
  v1::ListVisitsRequest by_worker;
  by_worker.set_worker_ref(p.worker);
  by_worker.set_page_size(2);
  int seen = 0, pages = 0;
  do {
    auto page = Rpc(*visits_, &Stub::ListVisits, by_worker);
    ASSERT_TRUE(page.ok()) << page.status();
    seen += page->visits_size();
    ++pages;
    by_worker.set_page_token(page->next_page_token());
  } while (!by_worker.page_token().empty());
  EXPECT_EQ(seen, 4);
  EXPECT_EQ(pages, 2);
  v1::ListVisitsRequest in_period;
  in_period.set_household_id(home);
  in_period.mutable_period()->set_start_date(DateText(Today() - 2));
  in_period.mutable_period()->set_end_date(DateText(Today() + 1));
  auto recent = Rpc(*visits_, &Stub::ListVisits, in_period);
  ASSERT_TRUE(recent.ok()) << recent.status();
  ASSERT_EQ(recent->visits_size(), 1);
  EXPECT_EQ(recent->visits(0).kind(), v1::PHONE);

  v1::CountVisitsByWorkerRequest count;
  count.mutable_period()->set_start_date(DateText(Today() - 7));
  count.mutable_period()->set_end_date(DateText(Today() + 1));
  count.set_grid_id(p.grid.id());
  auto one_grid = Rpc(*visits_, &Stub::CountVisitsByWorker, count);
  ASSERT_TRUE(one_grid.ok()) << one_grid.status();
  ASSERT_EQ(one_grid->counts_size(), 1);
  const v1::WorkerVisitCount& mine = one_grid->counts(0);
  EXPECT_EQ(mine.worker_ref(), p.worker);
  EXPECT_EQ(mine.worker_name(), "李*红");
  EXPECT_EQ(mine.visits(), 3);
  EXPECT_EQ(mine.door_visits(), 2);
  EXPECT_EQ(mine.key_visits(), 3);
  EXPECT_EQ(mine.follow_ups(), 1);
  count.clear_grid_id();
  count.set_area_path("vs4/s1");
  count.set_page_size(1);
  auto street = Rpc(*visits_, &Stub::CountVisitsByWorker, count);
  ASSERT_TRUE(street.ok()) << street.status();
  ASSERT_EQ(street->counts_size(), 1);
  EXPECT_EQ(street->counts(0).worker_ref(), "careers:vs4-b");
  EXPECT_EQ(street->counts(0).visits(), 1);
  count.set_page_token(street->next_page_token());
  auto rest = Rpc(*visits_, &Stub::CountVisitsByWorker, count);
  ASSERT_TRUE(rest.ok()) << rest.status();
  ASSERT_EQ(rest->counts_size(), 1);
  EXPECT_EQ(rest->counts(0).visits(), 4);
  EXPECT_EQ(rest->counts(0).key_visits(), 3);
  EXPECT_TRUE(rest->next_page_token().empty());
  // Yesterday's period leaves today's visit out.
  count.clear_page_token();
  count.set_page_size(0);
  count.mutable_period()->set_end_date(DateText(Today()));
  auto before_today = Rpc(*visits_, &Stub::CountVisitsByWorker, count);
  ASSERT_TRUE(before_today.ok()) << before_today.status();
  EXPECT_EQ(before_today->counts_size(), 1);
  count.mutable_period()->set_start_date("2025-01-01");
  EXPECT_EQ(Reason(Rpc(*visits_, &Stub::CountVisitsByWorker, count).status()), "PERIOD_TOO_LONG");
}

TEST_F(VisitTest, AGridWorkerLogsOnlyItsOwnVisits) {
  Place p = MakePlace("vs5");
  const std::string home = KeyHousehold(p.block.unit, "101", 7);
  auto as_worker = [&](const std::string& worker_ref) {
    common::v1::Principal principal;
    principal.set_id(p.worker);
    principal.add_roles("grid.worker");
    principal.set_scope_path("vs5/s1/c1/g01");
    principal.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
    grpc::ClientContext context;
    context.AddMetadata(std::string(kPrincipalMetadataKey), principals_.codec().Sign(principal));
    v1::Visit out;
    return FromGrpcStatus(
        visits_->LogVisit(&context, Request({.household = home, .worker = worker_ref}), &out));
  };
  Assign(p.grid.id(), "careers:vs5-colleague", "2020-01-01");
  EXPECT_TRUE(as_worker(p.worker).ok());
  EXPECT_EQ(Reason(as_worker("careers:vs5-colleague")), "WORKER_NOT_CALLER");
}

}  // namespace
}  // namespace grassroots::grid::testing
