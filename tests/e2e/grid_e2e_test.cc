// grid through the gateway on both edges, with the real orgs process for
// the tree: a grid made in an orgs community on JSON and on gRPC, the
// structure and a household whose head's details come back masked on both,
// a street key refused another street's grid, a viewer refused writes and
// the reveal, and a ledger imported over a gRPC stream.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "grassroots/grid/v1/building.grpc.pb.h"
#include "grassroots/grid/v1/grid.grpc.pb.h"
#include "grassroots/grid/v1/household.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "tests/e2e/grid_gateway_fixture.h"

namespace grassroots {
namespace {

using testing::GridGatewayTest;

template <typename Message>
Message Parse(const std::string& json) {
  Message message;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &message).ok()) << json;
  return message;
}

TEST_F(GridGatewayTest, GridsAndHouseholdsThroughBothEdges) {
  // The tree, in orgs: district ge-d, community c1 in street s1, c2 in s2.
  auto area = [&](orgs::v1::AreaKind kind, const std::string& code, const std::string& parent) {
    return CreateArea(kind, code, parent);
  };
  const std::string d = area(orgs::v1::DISTRICT, "ge-d", "");
  const std::string c1 = area(orgs::v1::COMMUNITY, "c1", area(orgs::v1::STREET, "s1", d));
  const std::string c2 = area(orgs::v1::COMMUNITY, "c2", area(orgs::v1::STREET, "s2", d));

  // A grid on the JSON edge; grid asked orgs for c1's path in the caller's name.
  auto created = PostJson("/grassroots.grid.v1.GridService/CreateGrid",
                          absl::StrCat(R"({"grid":{"code":"g01","displayName":"Grid One",)",
                                       R"("communityId":")", c1, R"("},"requestId":"g-1"})"),
                          "city-secret");
  ASSERT_EQ(created.status, 200) << created.body;
  auto g1 = Parse<grid::v1::Grid>(created.body);
  EXPECT_EQ(g1.path(), "ge-d/s1/c1/g01");
  // And on gRPC, in street s2's community.
  auto grids = grid::v1::GridService::NewStub(GatewayChannel());
  grid::v1::CreateGridRequest create;
  create.mutable_grid()->set_code("g01");
  create.mutable_grid()->set_display_name("Grid Two");
  create.mutable_grid()->set_community_id(c2);
  grid::v1::Grid g2;
  ASSERT_TRUE(grids->CreateGrid(Context("city-secret").get(), create, &g2).ok());
  EXPECT_EQ(g2.path(), "ge-d/s2/c2/g01");

  // The street-s1 key: orgs refuses it street s2's community, grid refuses
  // it street s2's grid, on both edges.
  auto foreign = PostJson("/grassroots.grid.v1.GridService/CreateGrid",
                          absl::StrCat(R"({"grid":{"code":"g02","displayName":"X",)",
                                       R"("communityId":")", c2, R"("}})"),
                          "street-secret");
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_NE(foreign.body.find("OUT_OF_SCOPE"), std::string::npos) << foreign.body;
  grid::v1::GetGridRequest get;
  get.set_id(g2.id());
  grid::v1::Grid read;
  EXPECT_EQ(grids->GetGrid(Context("street-secret").get(), get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(PostJson("/grassroots.grid.v1.GridService/GetGrid",
                     absl::StrCat(R"({"id":")", g2.id(), R"("})"), "street-secret")
                .status,
            403);
  ASSERT_TRUE(grids->GetGrid(Context("viewer-secret").get(), get, &read).ok());

  // A building on its own and a unit, then a household with its head in clear.
  auto building = PostJson("/grassroots.grid.v1.BuildingService/CreateBuilding",
                           absl::StrCat(R"({"building":{"gridId":")", g1.id(),
                                        R"(","displayName":"Tower 9","floorCount":18}})"),
                           "street-secret");
  ASSERT_EQ(building.status, 200) << building.body;
  auto unit = PostJson(
      "/grassroots.grid.v1.BuildingService/CreateUnit",
      absl::StrCat(R"({"unit":{"buildingId":")", Parse<grid::v1::Building>(building.body).id(),
                   R"(","displayName":"A"}})"),
      "street-secret");
  ASSERT_EQ(unit.status, 200) << unit.body;
  const std::string unit_id = Parse<grid::v1::Unit>(unit.body).id();
  const std::string household_json =
      absl::StrCat(R"({"household":{"unitId":")", unit_id,
                   R"(","address":"1801","headName":"张三丰","headPhone":"13812345678",)",
                   R"("headIdNumber":"110101199003071233","residentCount":3}})");
  auto viewer_write = PostJson("/grassroots.grid.v1.HouseholdService/CreateHousehold",
                               household_json, "viewer-secret");
  EXPECT_EQ(viewer_write.status, 403) << viewer_write.body;
  EXPECT_NE(viewer_write.body.find("ROLE_REQUIRED"), std::string::npos) << viewer_write.body;
  auto household = PostJson("/grassroots.grid.v1.HouseholdService/CreateHousehold", household_json,
                            "street-secret");
  ASSERT_EQ(household.status, 200) << household.body;
  EXPECT_NE(household.body.find(R"("headPhone":"138****5678")"), std::string::npos)
      << household.body;
  for (const char* clear : {"13812345678", "110101199003071233", "张三丰"}) {
    EXPECT_EQ(household.body.find(clear), std::string::npos) << household.body;
  }
  auto added = Parse<grid::v1::Household>(household.body);
  auto households = grid::v1::HouseholdService::NewStub(GatewayChannel());
  grid::v1::GetHouseholdRequest get_household;
  get_household.set_id(added.id());
  grid::v1::Household masked;
  ASSERT_TRUE(
      households->GetHousehold(Context("viewer-secret").get(), get_household, &masked).ok());
  EXPECT_EQ(masked.head_name(), "张*丰");
  EXPECT_EQ(masked.head_id_number(), "1101**********1233");

  // The clear details only for an administrator with a purpose.
  const std::string reveal = absl::StrCat(R"({"id":")", added.id(), R"(","purpose":"visit"})");
  EXPECT_EQ(PostJson("/grassroots.grid.v1.HouseholdService/RevealHouseholdContact", reveal,
                     "viewer-secret")
                .status,
            403);
  auto revealed = PostJson("/grassroots.grid.v1.HouseholdService/RevealHouseholdContact", reveal,
                           "city-secret");
  ASSERT_EQ(revealed.status, 200) << revealed.body;
  EXPECT_NE(revealed.body.find("13812345678"), std::string::npos) << revealed.body;

  // A ledger over the gateway's gRPC stream, all or nothing.
  common::v1::ImportResult result;
  auto context = Context("street-secret");
  auto writer = households->ImportHouseholds(context.get(), &result);
  common::v1::ImportChunk chunk;
  chunk.set_format(common::v1::CSV);
  chunk.set_request_id("ledger-1");
  chunk.set_data(
      "grid_path,compound,building,unit,address,head_name,head_phone,head_id_number,"
      "resident_count,key_household,key_reason,visit_interval_days\n"
      "ge-d/s1/c1/g01,Plum Court,1号楼,1单元,101,王芳,,,2,false,,0\n");
  ASSERT_TRUE(writer->Write(chunk));
  chunk.Clear();
  chunk.set_data("ge-d/s1/c1/g01,Plum Court,1号楼,1单元,102,李四,,,1,true,lives alone,7\n");
  ASSERT_TRUE(writer->Write(chunk));
  writer->WritesDone();
  grpc::Status imported = writer->Finish();
  ASSERT_TRUE(imported.ok()) << imported.error_message();
  EXPECT_EQ(result.created_count(), 2);
  auto listed =
      PostJson("/grassroots.grid.v1.HouseholdService/ListHouseholds",
               absl::StrCat(R"({"gridId":")", g1.id(), R"(","keyOnly":true})"), "viewer-secret");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find(R"("headName":"李*")"), std::string::npos) << listed.body;
  // A viewer may not import.
  auto viewer_context = Context("viewer-secret");
  auto refused = households->ImportHouseholds(viewer_context.get(), &result);
  refused->WritesDone();
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace grassroots
