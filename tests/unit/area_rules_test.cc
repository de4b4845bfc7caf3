#include "services/orgs/area_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

TEST(AreaRulesTest, CodesAreLowercaseSlugs) {
  EXPECT_TRUE(ValidateAreaCode("code", "s03").ok());
  EXPECT_TRUE(ValidateAreaCode("code", "3rd-street_east").ok());
  for (const char* bad :
       {"", "S03", "-s", "a/b", "a b", "a%", "abcdefghijklmnopqrstuvwxyz0123456"}) {
    auto status = ValidateAreaCode("area.code", bad);
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << bad;
    EXPECT_EQ(ErrorField(status), "area.code");
  }
}

TEST(AreaRulesTest, TreeShape) {
  EXPECT_TRUE(ValidatePlacement(v1::DISTRICT, v1::AREA_KIND_UNSPECIFIED).ok());
  EXPECT_TRUE(ValidatePlacement(v1::STREET, v1::DISTRICT).ok());
  EXPECT_TRUE(ValidatePlacement(v1::TOWN, v1::DISTRICT).ok());
  EXPECT_TRUE(ValidatePlacement(v1::COMMUNITY, v1::STREET).ok());
  EXPECT_TRUE(ValidatePlacement(v1::COMMUNITY, v1::TOWN).ok());
  EXPECT_FALSE(ValidatePlacement(v1::DISTRICT, v1::DISTRICT).ok());
  EXPECT_FALSE(ValidatePlacement(v1::STREET, v1::AREA_KIND_UNSPECIFIED).ok());
  EXPECT_FALSE(ValidatePlacement(v1::COMMUNITY, v1::DISTRICT).ok());
  auto refused = ValidatePlacement(v1::STREET, v1::COMMUNITY);
  EXPECT_EQ(ErrorReason(refused), "AREA_PLACEMENT_INVALID");
  EXPECT_EQ(refused.message(), "a STREET needs a DISTRICT parent, not a COMMUNITY");
}

TEST(AreaRulesTest, PathsAndEtags) {
  EXPECT_EQ(ChildPath("", "d01"), "d01");
  EXPECT_EQ(ChildPath("d01", "s03"), "d01/s03");
  EXPECT_TRUE(IsSelfOrDescendant("d01/s03/c1", "d01/s03"));
  EXPECT_FALSE(IsSelfOrDescendant("d01/s030", "d01/s03"));
  EXPECT_TRUE(CheckEtag("etag", "", 7).ok());
  EXPECT_TRUE(CheckEtag("etag", "7", 7).ok());
  EXPECT_TRUE(absl::IsAborted(CheckEtag("etag", "6", 7)));
  EXPECT_TRUE(absl::IsInvalidArgument(CheckEtag("etag", "x", 7)));
}

TEST(AreaRulesTest, DisplayNames) {
  EXPECT_TRUE(ValidateDisplayName("n", "\xe5\xa4\x96\xe6\xbb\xa9\xe8\xa1\x97\xe9\x81\x93").ok());
  EXPECT_FALSE(ValidateDisplayName("n", "").ok());
  EXPECT_FALSE(ValidateDisplayName("n", std::string(201, 'a')).ok());
  EXPECT_FALSE(ValidateDisplayName("n", "a\x01").ok());
}

}  // namespace
}  // namespace grassroots::orgs
