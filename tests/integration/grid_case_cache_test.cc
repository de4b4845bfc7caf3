// grid's case cache (GetCase from memory): what another replica writes
// arrives through the feed, an older view never replaces a newer one, area
// moves and whistles reach it, and the caller's scope is checked on every
// cached answer.
#include <gtest/gtest.h>

#include "tests/integration/grid_case_fixture.h"

namespace grassroots::grid::testing {
namespace {

class GridCaseCacheTest : public GridCaseTest {
 protected:
  absl::StatusOr<v1::Case> GetCase(const std::string& id, const std::string& scope = "") {
    v1::GetCaseRequest get;
    get.set_id(id);
    return Rpc(*cases_, &Stub::GetCase, get, scope, "viewer", {"grid.viewer"});
  }
};

TEST_F(GridCaseCacheTest, AnotherReplicasStepArrivesThroughTheFeed) {
  const v1::Case reported = Report();
  ASSERT_TRUE(GetCase(reported.id()).ok());
  ASSERT_TRUE(CaseCache(*suite_).Find(reported.id()).has_value());

  CaseStepInput reg;
  reg.action = CaseAction::kRegister;
  const WriteContext write{"other-replica", "", absl::Now()};
  auto registered =
      AnotherReplicasCases(*suite_).TakeStep("", write, reported.id(), reported.etag(), reg);
  ASSERT_TRUE(registered.ok()) << registered.status();
  ASSERT_NE(registered->etag(), reported.etag());

  ASSERT_TRUE(CatchUpCaseCache(*suite_).ok());
  auto cached = CaseCache(*suite_).Find(reported.id());
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->etag(), registered->etag());
  EXPECT_EQ(cached->state(), v1::Case::REGISTERED);
  auto seen = GetCase(reported.id());
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->etag(), registered->etag());
  EXPECT_EQ(seen->state(), v1::Case::REGISTERED);
}

TEST_F(GridCaseCacheTest, AnOlderViewNeverReplacesANewerOne) {
  const v1::Case reported = Report();
  auto registered = Take(&Stub::RegisterCase, StepOn(reported), kSupervisor);
  ASSERT_EQ(registered.state(), v1::Case::REGISTERED);
  // A read that began before the step and answers after it.
  CaseCache(*suite_).Offer(reported);
  auto cached = CaseCache(*suite_).Find(reported.id());
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->etag(), registered.etag());
  // The step's own answer was kept (read-your-writes), and GetCase says so.
  EXPECT_EQ(GetCase(reported.id())->etag(), registered.etag());
}

TEST_F(GridCaseCacheTest, ACachedCaseIsRefusedOutsideTheCallersScope) {
  const v1::Case reported = Report();
  ASSERT_TRUE(GetCase(reported.id(), tree_.code + "/s1").ok());
  ASSERT_TRUE(CaseCache(*suite_).Find(reported.id()).has_value());
  EXPECT_EQ(GetCase(reported.id(), tree_.code + "/s2").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(GridCaseCacheTest, AnAreaMoveEmptiesTheCacheAndTheCaseAnswersWithItsNewPath) {
  const v1::Case reported = Report();
  ASSERT_TRUE(GetCase(reported.id()).ok());
  auto follower = MakeFollower(*suite_);
  ASSERT_TRUE(follower->CatchUp().ok());
  ASSERT_TRUE(MoveArea(*this, tree_.c1, tree_.s2).ok());
  const std::string moved = tree_.code + "/s2/c1/g01";
  ASSERT_EQ(PathAfterCatchUp(*this, *follower, grid_, moved), moved);
  ASSERT_TRUE(CatchUpCaseCache(*suite_).ok());
  auto seen = GetCase(reported.id(), tree_.code + "/s2");
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->grid_path(), moved);
  EXPECT_EQ(GetCase(reported.id(), tree_.code + "/s1").status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(MoveArea(*this, tree_.c1, tree_.s1).ok());  // as the fixture's tree was
  ASSERT_EQ(PathAfterCatchUp(*this, *follower, grid_, tree_.code + "/s1/c1/g01"),
            tree_.code + "/s1/c1/g01");
}

TEST_F(GridCaseCacheTest, AWhistleMovesTheCasesEtagInTheFeedAndTheCache) {
  const v1::Case reported = Report();
  v1::BlowWhistleRequest blow;
  blow.set_case_id(reported.id());
  blow.add_department_ids(department_);
  blow.set_note("the street calls the bureau in");
  ASSERT_TRUE(Rpc(*cases_, &Stub::BlowWhistle, blow, "", "street-command", kDispatcher).ok());
  auto stored = AnotherReplicasCases(*suite_).Get("", reported.id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_NE(stored->etag(), reported.etag());
  EXPECT_EQ(GetCase(reported.id())->etag(), stored->etag());
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id = '",
                                          reported.id(), "'")),
            2);  // reported, then the whistle's timeline line
}

TEST_F(GridCaseCacheTest, TheCacheHoldsAtMostItsCapacity) {
  CaseViewCache small(pool(), *GridService(*suite_).env().changes, nullptr,
                      *GridService(*suite_).env().log, /*capacity=*/4);
  ASSERT_TRUE(small.Start().ok());
  v1::Case view;
  view.set_etag("1");
  for (int i = 0; i < 10; ++i) {
    view.set_id(absl::StrCat("cs_small", i));
    small.Offer(view);
    EXPECT_LE(small.size(), 4u);
  }
  EXPECT_TRUE(small.Find("cs_small9").has_value());
  EXPECT_TRUE(small.Find("cs_small8").has_value());
  EXPECT_FALSE(small.Find("cs_small0").has_value());
  small.Stop();
}

}  // namespace
}  // namespace grassroots::grid::testing
