// Method access comes from the protos: declared roles, default deny.
#include "services/gateway/method_table.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "grassroots/bench/v1/bench.pb.h"
#include "grassroots/orgs/v1/area.pb.h"

namespace grassroots::gateway {
namespace {

common::v1::Principal WithRoles(std::vector<std::string> roles) {
  common::v1::Principal principal;
  principal.set_id("caller");
  for (auto& role : roles) principal.add_roles(role);
  return principal;
}

class MethodTableTest : public ::testing::Test {
 protected:
  MethodTableTest()
      : routes_(*Routes::Parse("grassroots.orgs.v1=127.0.0.1:1,grassroots.bench.v1=127.0.0.1:2")),
        table_(routes_) {
    (void)orgs::v1::Area::descriptor();
    (void)bench::v1::PingRequest::descriptor();
  }
  Routes routes_;
  MethodTable table_;
};

TEST_F(MethodTableTest, FindsRoutedMethodsWithTheirDeclaredRoles) {
  auto get = table_.Find("/grassroots.orgs.v1.AreaService/GetArea");
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ((*get)->package, "grassroots.orgs.v1");
  EXPECT_EQ((*get)->backend, routes_.BackendFor("grassroots.orgs.v1"));
  EXPECT_FALSE((*get)->streaming());
  EXPECT_EQ((*get)->roles, (std::vector<std::string>{"orgs.viewer", "orgs.editor", "orgs.admin"}));
  // The same entry the second time.
  EXPECT_EQ(*table_.Find("/grassroots.orgs.v1.AreaService/GetArea"), *get);
  auto import = table_.Find("/grassroots.orgs.v1.AreaService/ImportAreas");
  ASSERT_TRUE(import.ok());
  EXPECT_TRUE((*import)->streaming());
}

TEST_F(MethodTableTest, UnknownAndMalformedPathsAreUnimplemented) {
  for (const char* path : {"/grassroots.orgs.v1.AreaService/Nope", "/x", "", "GetArea",
                           "/grassroots.orgs.v1.AreaService/"}) {
    auto found = table_.Find(path);
    EXPECT_EQ(found.status().code(), absl::StatusCode::kUnimplemented) << path;
  }
}

TEST_F(MethodTableTest, RolesAreCheckedAndUndeclaredMethodsDenied) {
  const GatewayMethod* get = *table_.Find("/grassroots.orgs.v1.AreaService/GetArea");
  const GatewayMethod* move = *table_.Find("/grassroots.orgs.v1.AreaService/MoveArea");
  EXPECT_TRUE(Authorize(*get, WithRoles({"orgs.viewer"})).ok());
  auto denied = Authorize(*move, WithRoles({"orgs.viewer", "orgs.editor"}));
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReason(denied).value_or(""), "ROLE_REQUIRED");
  EXPECT_NE(denied.message().find("orgs.admin"), absl::string_view::npos);
  EXPECT_TRUE(Authorize(*move, WithRoles({"orgs.admin"})).ok());
  // The bench service declares no access: nobody may call it, not even an admin.
  auto ping = table_.Find("/grassroots.bench.v1.BenchService/Ping");
  ASSERT_TRUE(ping.ok());
  auto undeclared = Authorize(**ping, WithRoles({"orgs.admin", "admin"}));
  EXPECT_EQ(ErrorReason(undeclared).value_or(""), "METHOD_NOT_EXPOSED");
}

}  // namespace
}  // namespace grassroots::gateway
