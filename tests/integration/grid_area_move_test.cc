// orgs moves a community (or a street) and grid follows from orgs' change
// feed: grids, and everything in them, carry their new path, so scope
// follows the move; each move is applied once however many replicas read
// the feed, and a fresh grid does not replay orgs' history.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "tests/integration/grid_fixture.h"

namespace grassroots::grid::testing {
namespace {

using ::grassroots::testing::QueryInt;

TEST_F(GridServiceTest, WhatIsInAGridFollowsItsCommunityWhenOrgsMovesIt) {
  Tree t = MakeTree("mv1");
  auto grid = *CreateGrid(t.c1, "g01");
  auto untouched = *CreateGrid(t.c3, "g01");
  Block block = MakeBlock(grid.id());
  auto household = *AddHousehold(block.unit, "101");
  v1::AssignStaffRequest assign;
  assign.mutable_assignment()->set_grid_id(grid.id());
  assign.mutable_assignment()->set_role(v1::GRID_WORKER);
  assign.mutable_assignment()->set_person_ref("careers:mv1");
  assign.mutable_assignment()->set_person_name("孙一");
  assign.mutable_assignment()->set_start_date("2026-01-01");
  ASSERT_TRUE(Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff, assign).ok());
  v1::LogVisitRequest log;
  log.mutable_visit()->set_household_id(household.id());
  log.mutable_visit()->set_worker_ref("careers:mv1");
  log.mutable_visit()->set_kind(v1::DOOR_VISIT);
  log.mutable_visit()->set_findings("all well");
  log.mutable_visit()->mutable_visit_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  auto visit = Rpc(*visits_, &v1::VisitService::Stub::LogVisit, log);
  ASSERT_TRUE(visit.ok()) << visit.status();
  auto follower = MakeFollower(*suite_);
  ASSERT_TRUE(follower->CatchUp().ok());

  ASSERT_TRUE(MoveArea(*this, t.c1, t.s2).ok());
  EXPECT_EQ(PathAfterCatchUp(*this, *follower, grid.id(), "mv1/s2/c1/g01"), "mv1/s2/c1/g01");
  // Everything in the grid went with it: street s2 sees the household now,
  // street s1 no longer does.
  v1::GetHouseholdRequest get;
  get.set_id(household.id());
  auto seen = Rpc(*households_, &v1::HouseholdService::Stub::GetHousehold, get, "mv1/s2");
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->grid_path(), "mv1/s2/c1/g01");
  EXPECT_EQ(
      Rpc(*households_, &v1::HouseholdService::Stub::GetHousehold, get, "mv1/s1").status().code(),
      absl::StatusCode::kPermissionDenied);
  v1::GetUnitRequest unit;
  unit.set_id(block.unit);
  EXPECT_TRUE(Rpc(*buildings_, &v1::BuildingService::Stub::GetUnit, unit, "mv1/s2/c1").ok());
  // Visits and the worker's day counts too.
  v1::GetVisitRequest get_visit;
  get_visit.set_id(visit->id());
  EXPECT_EQ(Rpc(*visits_, &v1::VisitService::Stub::GetVisit, get_visit, "mv1/s2")->grid_path(),
            "mv1/s2/c1/g01");
  EXPECT_EQ(QueryInt(pool(),
                     "SELECT COUNT(*) FROM visit_worker_days WHERE worker_ref = 'careers:mv1'"
                     " AND grid_path = 'mv1/s2/c1/g01'"),
            1);
  // The grid is a resource of the feed: its new version and one MOVED row.
  v1::GetGridRequest get_grid;
  get_grid.set_id(grid.id());
  EXPECT_EQ(Rpc(*grids_, &v1::GridService::Stub::GetGrid, get_grid)->etag(), "2");
  // A grid of the street the community moved into stays as it was.
  get_grid.set_id(untouched.id());
  auto other = Rpc(*grids_, &v1::GridService::Stub::GetGrid, get_grid);
  EXPECT_EQ(other->path(), "mv1/s2/c3/g01");
  EXPECT_EQ(other->etag(), "1");

  // Another replica reading the same feed applies nothing twice.
  auto replica = MakeFollower(*suite_);
  ASSERT_TRUE(replica->CatchUp().ok());
  ASSERT_TRUE(follower->CatchUp().ok());
  EXPECT_EQ(QueryInt(pool(), absl::StrCat(
                                 "SELECT COUNT(*) FROM change_log WHERE resource_id = '", grid.id(),
                                 "' AND action = ", static_cast<int>(common::v1::Change::MOVED))),
            1);
  EXPECT_EQ(
      QueryInt(pool(), absl::StrCat("SELECT version FROM grids WHERE id = '", grid.id(), "'")), 2);
}

TEST(GridFollowingOrgsTest, AFreshGridDoesNotReplayOrgsHistory) {
  auto suite = StartGridSuite("grid_fresh_follow");
  GridClient client(*suite);
  // In orgs' history: community c1 moved from s1 to s2, then a new c1 made
  // in s1 again, where grid then makes its grid.
  GridClient::Tree t = client.MakeTree("fh1");
  ASSERT_TRUE(MoveArea(client, t.c1, t.s2).ok());
  const std::string again = client.AreaId(orgs::v1::COMMUNITY, "c1", t.s1);
  auto grid = client.CreateGrid(again, "g01");
  ASSERT_TRUE(grid.ok()) << grid.status();
  EXPECT_EQ(grid->path(), "fh1/s1/c1/g01");
  auto follower = MakeFollower(*suite);
  // orgs' feed is numbered just after commit: wait until it holds the move.
  auto orgs_feed = orgs::v1::ChangeFeedService::NewStub(OrgsService(*suite).Channel());
  bool numbered = false;
  for (int i = 0; i < 200 && !numbered; ++i) {
    common::v1::ListChangesRequest request;
    request.set_page_size(1000);
    auto changes = client.Rpc(*orgs_feed, &orgs::v1::ChangeFeedService::Stub::ListChanges, request);
    ASSERT_TRUE(changes.ok()) << changes.status();
    for (const auto& change : changes->changes()) {
      numbered = numbered || change.action() == common::v1::Change::MOVED;
    }
    if (!numbered) absl::SleepFor(absl::Milliseconds(25));
  }
  ASSERT_TRUE(numbered);
  ASSERT_TRUE(follower->SkipHistoryIfNew().ok());
  ASSERT_TRUE(follower->CatchUp().ok());
  v1::GetGridRequest get;
  get.set_id(grid->id());
  EXPECT_EQ(client.Rpc(*client.grids_, &v1::GridService::Stub::GetGrid, get)->path(),
            "fh1/s1/c1/g01");
  // From then on moves are followed; skipping again is a no-op.
  const std::string s3 = client.AreaId(orgs::v1::STREET, "s3", t.district);
  ASSERT_TRUE(MoveArea(client, again, s3).ok());
  ASSERT_TRUE(follower->SkipHistoryIfNew().ok());
  EXPECT_EQ(PathAfterCatchUp(client, *follower, grid->id(), "fh1/s3/c1/g01"), "fh1/s3/c1/g01");
}

}  // namespace
}  // namespace grassroots::grid::testing
