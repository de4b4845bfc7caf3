// Grids against a real MariaDB, with the real orgs for the tree: the
// community comes from orgs in the caller's name, scope is enforced on the
// grid's path, creates are idempotent, updates carry etags, and a stopped
// orgs refuses only the writes that need it.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "tests/integration/grid_fixture.h"

namespace grassroots::grid::testing {
namespace {

using ::grassroots::testing::QueryInt;

TEST_F(GridServiceTest, AGridLiesInAnOrgsCommunityAndExtendsItsPath) {
  Tree t = MakeTree("gs1");
  auto grid = CreateGrid(t.c1, "g01");
  ASSERT_TRUE(grid.ok()) << grid.status();
  EXPECT_EQ(grid->path(), "gs1/s1/c1/g01");
  EXPECT_EQ(grid->community_id(), t.c1);
  EXPECT_EQ(grid->etag(), "1");
  // Only a community holds grids; orgs' unknown ids are named on the field.
  auto street = CreateGrid(t.s1, "g01");
  EXPECT_EQ(Reason(street.status()), "GRID_AREA_NOT_COMMUNITY");
  EXPECT_NE(street.status().message().find("gs1/s1 is a STREET"), absl::string_view::npos);
  auto unknown = CreateGrid("ar_0000000000000000000000000000", "g01");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reason(unknown.status()), "AREA_NOT_FOUND");
  EXPECT_EQ(ErrorField(unknown.status()).value_or(""), "grid.community_id");
  // Codes are unique in a community, not across communities.
  EXPECT_EQ(Reason(CreateGrid(t.c1, "g01").status()), "GRID_EXISTS");
  EXPECT_TRUE(CreateGrid(t.c2, "g01").ok());
  EXPECT_EQ(Reason(CreateGrid(t.c1, "G1").status()), "GRID_CODE_INVALID");
}

TEST_F(GridServiceTest, AStreetOfficerWorksOnlyInItsStreet) {
  Tree t = MakeTree("gs2");
  const std::string s1 = "gs2/s1", s2 = "gs2/s2";
  ASSERT_TRUE(CreateGrid(t.c1, "g01", s1).ok());
  // orgs refuses the community of another street in the caller's name.
  auto foreign = CreateGrid(t.c3, "g01", s1);
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Reason(foreign.status()), "OUT_OF_SCOPE");
  auto theirs = CreateGrid(t.c3, "g01", s2);
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  // Reads: another street's grid looks like no grid at all.
  v1::GetGridRequest get;
  get.set_id(theirs->id());
  EXPECT_EQ(Rpc(*grids_, &v1::GridService::Stub::GetGrid, get, s1).status().code(),
            absl::StatusCode::kPermissionDenied);
  get.set_id("gd_0000000000000000000000000000");
  EXPECT_EQ(Rpc(*grids_, &v1::GridService::Stub::GetGrid, get, s1).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Rpc(*grids_, &v1::GridService::Stub::GetGrid, get).status().code(),
            absl::StatusCode::kNotFound);
  // Nor can it be renamed from there.
  v1::UpdateGridRequest update;
  update.mutable_grid()->set_id(theirs->id());
  update.mutable_grid()->set_display_name("Taken");
  update.mutable_update_mask()->add_paths("display_name");
  EXPECT_EQ(Rpc(*grids_, &v1::GridService::Stub::UpdateGrid, update, s1).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Listings hold what the scope sees.
  v1::ListGridsRequest list;
  auto in_s1 = Rpc(*grids_, &v1::GridService::Stub::ListGrids, list, s1);
  ASSERT_TRUE(in_s1.ok());
  ASSERT_EQ(in_s1->grids_size(), 1);
  EXPECT_EQ(in_s1->grids(0).path(), "gs2/s1/c1/g01");
  list.set_community_id(t.c3);
  EXPECT_EQ(Rpc(*grids_, &v1::GridService::Stub::ListGrids, list, s1)->grids_size(), 0);
  EXPECT_EQ(Rpc(*grids_, &v1::GridService::Stub::ListGrids, list, s2)->grids_size(), 1);
}

TEST_F(GridServiceTest, CreatesAreIdempotentUnderConcurrentRetries) {
  Tree t = MakeTree("gs3");
  std::vector<std::thread> threads;
  std::vector<absl::StatusOr<v1::Grid>> results(8, absl::UnknownError("not run"));
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] { results[i] = CreateGrid(t.c1, "g07", "", "create-g07"); });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->id(), results[0]->id());
  }
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM grids WHERE path = 'gs3/s1/c1/g07'"), 1);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM change_log WHERE request_id = 'create-g07'"), 1);
  // The same code without the request id is a second grid, refused.
  EXPECT_EQ(Reason(CreateGrid(t.c1, "g07").status()), "GRID_EXISTS");
}

TEST_F(GridServiceTest, UpdatesCarryTheEtagAndListingsPage) {
  Tree t = MakeTree("gs4");
  std::vector<std::string> ids;
  for (const char* code : {"g03", "g01", "g05", "g02", "g04"}) {
    auto grid = CreateGrid(t.c2, code);
    ASSERT_TRUE(grid.ok()) << grid.status();
    ids.push_back(grid->id());
  }
  v1::UpdateGridRequest update;
  update.mutable_grid()->set_id(ids[0]);
  update.mutable_grid()->set_display_name("Riverside Grid 3");
  update.mutable_grid()->set_etag("1");
  update.mutable_update_mask()->add_paths("display_name");
  auto renamed = Rpc(*grids_, &v1::GridService::Stub::UpdateGrid, update);
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->display_name(), "Riverside Grid 3");
  EXPECT_EQ(renamed->etag(), "2");
  auto stale = Rpc(*grids_, &v1::GridService::Stub::UpdateGrid, update);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Reason(stale.status()), "ETAG_MISMATCH");
  update.mutable_update_mask()->set_paths(0, "code");
  EXPECT_EQ(Reason(Rpc(*grids_, &v1::GridService::Stub::UpdateGrid, update).status()),
            "FIELD_NOT_UPDATABLE");

  v1::ListGridsRequest list;
  list.set_community_id(t.c2);
  list.set_page_size(2);
  std::vector<std::string> paths;
  for (;;) {
    auto page = Rpc(*grids_, &v1::GridService::Stub::ListGrids, list);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->grids_size(), 2);
    for (const auto& g : page->grids()) paths.push_back(g.path());
    if (page->next_page_token().empty()) break;
    list.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"gs4/s1/c2/g01", "gs4/s1/c2/g02", "gs4/s1/c2/g03",
                                             "gs4/s1/c2/g04", "gs4/s1/c2/g05"}));
  // A token from one listing is refused for another.
  list.set_community_id(t.c1);
  EXPECT_EQ(Rpc(*grids_, &v1::GridService::Stub::ListGrids, list).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(GridServiceTest, EveryWriteIsInTheChangeFeed) {
  Tree t = MakeTree("gs5");
  auto grid = CreateGrid(t.c3, "g01", "", "feed-g01");
  ASSERT_TRUE(grid.ok());
  common::v1::ListChangesRequest request;
  request.set_path_prefix("gs5");
  common::v1::ListChangesResponse changes;
  for (int i = 0; i < 100 && changes.changes_size() == 0; ++i) {
    auto read = Rpc(*feed_, &v1::ChangeFeedService::Stub::ListChanges, request);
    ASSERT_TRUE(read.ok()) << read.status();
    changes = *read;
    if (changes.changes_size() == 0) absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(changes.changes_size(), 1);
  EXPECT_EQ(changes.changes(0).resource_type(), "grassroots.grid.v1.Grid");
  EXPECT_EQ(changes.changes(0).path(), "gs5/s2/c3/g01");
  EXPECT_EQ(changes.changes(0).request_id(), "feed-g01");
  EXPECT_TRUE(changes.changes(0).event_id().starts_with("grid:"));
}

// With orgs stopped, creating a grid is refused at once with a reason a
// client can retry on; what grid keeps on its own is still served, and a
// replayed create that went through answers as it did.
TEST(GridWithoutOrgsTest, CreatesThatNeedOrgsAreRefusedAndTheRestWorks) {
  auto suite = StartGridSuite("grid_orgs_down");
  GridClient client(*suite);
  GridClient::Tree t = client.MakeTree("gd1");
  auto grid = client.CreateGrid(t.c1, "g01", "", "made-before");
  ASSERT_TRUE(grid.ok()) << grid.status();
  StopOrgs(*suite);

  const absl::Time start = absl::Now();
  auto refused = client.CreateGrid(t.c1, "g02");
  EXPECT_LT(absl::Now() - start, absl::Seconds(2)) << "the directory's deadline is 5 s";
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Reason(refused.status()), "ORGS_UNAVAILABLE");
  EXPECT_EQ(refused.status().message().find("127.0.0.1"), absl::string_view::npos)
      << "the channel's words stay inside: " << refused.status();
  auto replay = client.CreateGrid(t.c1, "g01", "", "made-before");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->id(), grid->id());

  v1::GetGridRequest get;
  get.set_id(grid->id());
  EXPECT_TRUE(client.Rpc(*client.grids_, &v1::GridService::Stub::GetGrid, get).ok());
  v1::UpdateGridRequest update;
  update.mutable_grid()->set_id(grid->id());
  update.mutable_grid()->set_display_name("Still Here");
  update.mutable_update_mask()->add_paths("display_name");
  EXPECT_TRUE(client.Rpc(*client.grids_, &v1::GridService::Stub::UpdateGrid, update).ok());
  v1::ListGridsRequest list;
  auto listed = client.Rpc(*client.grids_, &v1::GridService::Stub::ListGrids, list);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->grids_size(), 1);
}

}  // namespace
}  // namespace grassroots::grid::testing
