#include "common/server/etag.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots {
namespace {

TEST(EtagTest, TheRowVersionMustMatchUnlessNoEtagIsSent) {
  EXPECT_EQ(EtagOf(7), "7");
  EXPECT_EQ(VersionOf("7"), 7);
  EXPECT_EQ(VersionOf("x"), 0);
  EXPECT_TRUE(CheckEtag("grid.etag", "", 3, "the grid").ok());
  EXPECT_TRUE(CheckEtag("grid.etag", "3", 3, "the grid").ok());
  const absl::Status stale = CheckEtag("grid.etag", "2", 3, "the grid");
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ErrorReason(stale).value_or(""), "ETAG_MISMATCH");
  EXPECT_NE(stale.message().find("the grid changed"), absl::string_view::npos);
  const absl::Status junk = CheckEtag("grid.etag", "v3", 3, "the grid");
  EXPECT_EQ(ErrorReason(junk).value_or(""), "ETAG_INVALID");
  EXPECT_EQ(ErrorField(junk).value_or(""), "grid.etag");
}

}  // namespace
}  // namespace grassroots
