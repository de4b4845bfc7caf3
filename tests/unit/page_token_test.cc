#include "common/paging/page_token.h"

#include <gtest/gtest.h>

namespace grassroots {
namespace {

TEST(PageTokenTest, RoundTripsAndBindsToTheQuery) {
  std::string token = EncodePageToken("scope|parent|1", "d01/s03/c07");
  auto decoded = DecodePageToken(token, "scope|parent|1");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "d01/s03/c07");
  EXPECT_TRUE(absl::IsInvalidArgument(DecodePageToken(token, "scope|parent|0").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(DecodePageToken("garbage!", "q").status()));
}

TEST(PageTokenTest, PageSizeDefaultsClampsAndRefusesNegative) {
  EXPECT_EQ(*EffectivePageSize(0), 100);
  EXPECT_EQ(*EffectivePageSize(5), 5);
  EXPECT_EQ(*EffectivePageSize(50000), 1000);
  EXPECT_TRUE(absl::IsInvalidArgument(EffectivePageSize(-1).status()));
}

}  // namespace
}  // namespace grassroots
