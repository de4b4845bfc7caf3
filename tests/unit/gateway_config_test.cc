#include <gtest/gtest.h>

#include "services/gateway/api_keys.h"
#include "services/gateway/principal_tokens.h"
#include "services/gateway/routes.h"

namespace grassroots::gateway {
namespace {

const std::string kDigest(64, 'a');

TEST(ApiKeysTest, ParsesKeysRolesAndScopes) {
  auto keys = ApiKeys::Parse("# comment\n\ncity " + kDigest + " orgs.admin,grid.read -\n" +
                             "street " + std::string(64, 'b') + " orgs.read d01/s03  # note\n");
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  const auto& city = keys->at(kDigest);
  EXPECT_EQ(city.id(), "city");
  EXPECT_EQ(city.roles_size(), 2);
  EXPECT_EQ(city.scope_path(), "");
  EXPECT_EQ(keys->at(std::string(64, 'b')).scope_path(), "d01/s03");
}

TEST(ApiKeysTest, RefusesMalformedLinesNamingThem) {
  auto bad = ApiKeys::Parse("ok " + kDigest + " r -\nbroken line\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 2"), absl::string_view::npos);
  EXPECT_FALSE(ApiKeys::Parse("short abc r -\n").ok());
  EXPECT_FALSE(ApiKeys::Parse("upper " + std::string(64, 'A') + " r -\n").ok());
}

TEST(RoutesTest, RoutesByPackage) {
  EXPECT_EQ(Routes::PackageOf("/grassroots.orgs.v1.AreaService/GetArea"), "grassroots.orgs.v1");
  EXPECT_EQ(Routes::PackageOf("/NoPackage/Get"), "");
  EXPECT_EQ(Routes::PackageOf("garbage"), "");
  auto routes = Routes::Parse("grassroots.orgs.v1=127.0.0.1:7101");
  ASSERT_TRUE(routes.ok());
  ASSERT_NE(routes->BackendFor("grassroots.orgs.v1"), nullptr);
  EXPECT_EQ(routes->BackendFor("grassroots.orgs.v1")->address(), "127.0.0.1:7101");
  EXPECT_EQ(routes->BackendFor("grassroots.grid.v1"), nullptr);
  EXPECT_FALSE(Routes::Parse("").ok());
  EXPECT_FALSE(Routes::Parse("no-equals-sign").ok());
}

}  // namespace
}  // namespace grassroots::gateway

namespace grassroots::gateway {
namespace {

TEST(PrincipalTokensTest, ReusesATokenThenRefreshesAndTracksChanges) {
  auto codec = *PrincipalCodec::Create("0123456789abcdef0123456789abcdef");
  ManualClock clock(absl::FromUnixSeconds(1'800'000'000));
  PrincipalTokens tokens(codec, clock, absl::Minutes(5));
  common::v1::Principal p;
  p.set_id("city");
  p.set_scope_path("d01");
  const std::string first = tokens.For(p);
  clock.Advance(absl::Seconds(30));
  EXPECT_EQ(tokens.For(p), first);
  auto verified = codec.Verify(first, clock.Now());
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->scope_path(), "d01");
  clock.Advance(absl::Minutes(1));  // past a fifth of the lifetime
  const std::string refreshed = tokens.For(p);
  EXPECT_NE(refreshed, first);
  EXPECT_TRUE(codec.Verify(refreshed, clock.Now() + absl::Minutes(4)).ok());
  p.set_scope_path("d01/s02");  // the keys file changed the scope
  EXPECT_NE(tokens.For(p), refreshed);
}

}  // namespace
}  // namespace grassroots::gateway
