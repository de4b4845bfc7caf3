// Matching resources to needs: only the need's street, nearest first, then
// resources that cover the need, then the first published; acceptance
// limits at and either side of what the need lacks and the resource has.
#include "services/orgs/resource_matching.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

constexpr auto kVenue = v1::RESOURCE_CATEGORY_VENUE;
constexpr auto kMedical = v1::RESOURCE_CATEGORY_MEDICAL;

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

std::vector<std::string> Ranked(const NeedFacts& need, const std::vector<ResourceFacts>& all,
                                size_t limit = 10) {
  std::vector<std::string> out;
  for (const auto& r : RankResources(need, all, limit)) {
    out.push_back(all[r.index].id +
                  (r.proximity == v1::MatchCandidate::SAME_COMMUNITY ? "@c" : "@s"));
  }
  return out;
}

TEST(ResourceMatchingTest, StreetOfAPath) {
  EXPECT_EQ(StreetOf("d01/s01/c03"), "d01/s01");
  EXPECT_EQ(StreetOf("d01/s01"), "d01/s01");
  EXPECT_EQ(StreetOf("d01"), "d01");
}

TEST(ResourceMatchingTest, SameCommunityBeforeSameStreetAndNothingFromOtherStreets) {
  const NeedFacts need{"d1/s1/c1", kVenue, 10, 0};
  const std::vector<ResourceFacts> all{
      {"r1", "d1/s1/c2", kVenue, 20, true},    // same street, other community
      {"r2", "d1/s1/c1", kVenue, 20, true},    // same community
      {"r3", "d1/s2/c1", kVenue, 20, true},    // another street
      {"r4", "d1/s1", kVenue, 20, true},       // registered with the street itself
      {"r5", "d1/s1/c1", kMedical, 20, true},  // another category
      {"r6", "d1/s1/c1", kVenue, 0, true},     // exhausted
      {"r7", "d1/s1/c1", kVenue, 20, false},   // the unit withdrew
      {"r8", "d1/s10/c1", kVenue, 20, true},   // s10 is not s1
  };
  EXPECT_EQ(Ranked(need, all), (std::vector<std::string>{"r2@c", "r1@s", "r4@s"}));
  EXPECT_EQ(Ranked(need, all, 2), (std::vector<std::string>{"r2@c", "r1@s"}));
  EXPECT_TRUE(Ranked(need, all, 0).empty());
  EXPECT_TRUE(Ranked({"d1/s3/c1", kVenue, 1, 0}, all).empty());
}

TEST(ResourceMatchingTest, AmongEqualsACoveringResourceThenTheFirstPublished) {
  // The need lacks 4 (10 asked, 6 met).
  const NeedFacts need{"d1/s1/c1", kVenue, 10, 6};
  const std::vector<ResourceFacts> all{
      {"r3", "d1/s1/c1", kVenue, 3, true},  // covers 3 of 4
      {"r2", "d1/s1/c1", kVenue, 4, true},  // covers exactly what is lacking
      {"r1", "d1/s1/c1", kVenue, 9, true},
      {"r0", "d1/s1/c2", kVenue, 99, true},  // covers, but farther away
      {"r4", "d1/s1/c1", kVenue, 3, true},
  };
  EXPECT_EQ(Ranked(need, all), (std::vector<std::string>{"r1@c", "r2@c", "r3@c", "r4@c", "r0@s"}));
}

TEST(ResourceMatchingTest, AcceptanceLimits) {
  const NeedFacts need{"d1/s1/c1", kVenue, 10, 6};  // lacks 4
  const ResourceFacts resource{"r", "d1/s1/c2", kVenue, 5, true};
  EXPECT_TRUE(CheckAcceptance(need, resource, 1).ok());
  EXPECT_TRUE(CheckAcceptance(need, resource, 4).ok());
  const absl::Status over = CheckAcceptance(need, resource, 5);
  EXPECT_EQ(Reason(over), "NEED_EXCEEDED");
  EXPECT_NE(over.message().find("lacks 4 of 10"), std::string::npos) << over;
  EXPECT_EQ(Reason(CheckAcceptance(need, resource, 0)), "QUANTITY_INVALID");
  EXPECT_EQ(Reason(CheckAcceptance(need, resource, -1)), "QUANTITY_INVALID");

  const ResourceFacts small{"r", "d1/s1/c2", kVenue, 3, true};
  EXPECT_TRUE(CheckAcceptance(need, small, 3).ok());
  const absl::Status insufficient = CheckAcceptance(need, small, 4);
  EXPECT_EQ(Reason(insufficient), "RESOURCE_INSUFFICIENT");
  EXPECT_NE(insufficient.message().find("has 3 left"), std::string::npos) << insufficient;

  EXPECT_EQ(Reason(CheckAcceptance(need, {"r", "d1/s1/c2", kMedical, 5, true}, 1)),
            "CATEGORY_MISMATCH");
  EXPECT_EQ(Reason(CheckAcceptance(need, {"r", "d1/s2/c1", kVenue, 5, true}, 1)),
            "NOT_IN_NEED_STREET");
  EXPECT_EQ(Reason(CheckAcceptance(need, {"r", "d1/s1/c1", kVenue, 5, false}, 1)),
            "UNIT_WITHDRAWN");
  EXPECT_EQ(Reason(CheckAcceptance({"d1/s1/c1", kVenue, 10, 10}, resource, 1)), "NEED_EXCEEDED");
}

TEST(ResourceMatchingTest, StatesFollowTheNumbers) {
  EXPECT_EQ(NeedStateFor(10, 0), v1::CommunityNeed::OPEN);
  EXPECT_EQ(NeedStateFor(10, 1), v1::CommunityNeed::PARTLY_FULFILLED);
  EXPECT_EQ(NeedStateFor(10, 9), v1::CommunityNeed::PARTLY_FULFILLED);
  EXPECT_EQ(NeedStateFor(10, 10), v1::CommunityNeed::FULFILLED);
  EXPECT_EQ(ResourceStateFor(1, true), v1::UnitResource::OPEN);
  EXPECT_EQ(ResourceStateFor(0, true), v1::UnitResource::EXHAUSTED);
  EXPECT_EQ(ResourceStateFor(1, false), v1::UnitResource::UNIT_WITHDRAWN);
  EXPECT_EQ(ResourceStateFor(0, false), v1::UnitResource::UNIT_WITHDRAWN);
  EXPECT_TRUE(ValidateNeedPlaceKind("n", v1::COMMUNITY).ok());
  EXPECT_EQ(Reason(ValidateNeedPlaceKind("n", v1::STREET)), "NEED_PLACE_INVALID");
  EXPECT_EQ(Reason(ValidateNeedPlaceKind("n", v1::DISTRICT)), "NEED_PLACE_INVALID");
}

TEST(ResourceMatchingTest, CategoriesAndAmounts) {
  EXPECT_TRUE(ValidateCategory("c", v1::RESOURCE_CATEGORY_OTHER).ok());
  EXPECT_EQ(Reason(ValidateCategory("c", v1::RESOURCE_CATEGORY_UNSPECIFIED)), "CATEGORY_INVALID");
  EXPECT_EQ(Reason(ValidateCategory("c", static_cast<v1::ResourceCategory>(42))),
            "CATEGORY_INVALID");
  EXPECT_EQ(Reason(ValidateAmount("q", 0)), "AMOUNT_INVALID");
  EXPECT_TRUE(ValidateAmount("q", 1).ok());
  EXPECT_TRUE(ValidateAmount("q", 1'000'000).ok());
  EXPECT_EQ(Reason(ValidateAmount("q", 1'000'001)), "AMOUNT_INVALID");
}

}  // namespace
}  // namespace grassroots::orgs
