#include "common/auth/scope.h"

#include <gtest/gtest.h>

#include "common/auth/path_to_read.h"
#include "common/status/errors.h"

namespace grassroots {
namespace {

TEST(ScopeTest, PathWithinIsSegmentAware) {
  EXPECT_TRUE(PathWithin("d01/s03", ""));
  EXPECT_TRUE(PathWithin("d01/s03", "d01/s03"));
  EXPECT_TRUE(PathWithin("d01/s03/c12", "d01/s03"));
  EXPECT_FALSE(PathWithin("d01/s030", "d01/s03"));
  EXPECT_FALSE(PathWithin("d01/s04/c01", "d01/s03"));
  EXPECT_FALSE(PathWithin("d01", "d01/s03"));
}

TEST(ScopeTest, RequireInScopeSaysNothingAboutExistence) {
  common::v1::Principal p;
  p.set_scope_path("d01/s03");
  EXPECT_TRUE(RequireInScope(p, "d01/s03/c01").ok());
  auto refused = RequireInScope(p, "d01/s04");
  EXPECT_TRUE(absl::IsPermissionDenied(refused));
  EXPECT_EQ(refused.message().find("s04"), absl::string_view::npos);
}

TEST(ScopeTest, LikePatternEscapesWildcards) {
  EXPECT_EQ(DescendantsLikePattern("d01/s_3"), "d01/s\\_3/%");
  EXPECT_EQ(DescendantsLikePattern("a%b"), "a\\%b/%");
}

TEST(ScopeTest, AReadCoversTheScopeOrAPathWithinIt) {
  EXPECT_EQ(*PathToRead("d/s1", ""), "d/s1");
  EXPECT_EQ(*PathToRead("d/s1", "d/s1/c2"), "d/s1/c2");
  EXPECT_EQ(*PathToRead("", "d/s2"), "d/s2");
  EXPECT_EQ(ErrorReason(PathToRead("d/s1", "d/s10").status()), "OUT_OF_SCOPE");
  EXPECT_EQ(ErrorReason(PathToRead("d/s1", "d").status()), "OUT_OF_SCOPE");
}

}  // namespace
}  // namespace grassroots
