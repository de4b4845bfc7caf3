// Places and the coverage report through the gateway, on both edges, with
// scope and role refusals.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "grassroots/orgs/v1/place.grpc.pb.h"
#include "tests/e2e/gateway_fixture.h"

namespace grassroots {
namespace {

using testing::GatewayProcessTest;

TEST_F(GatewayProcessTest, PlacesAndTheCoverageReportThroughBothEdges) {
  orgs::v1::Area d, s1, s2;
  MakeTree(&d, &s1, &s2);
  const std::map<std::string, std::string> city{{"x-api-key", "city-secret"}};
  auto created = PostJson("/grassroots.orgs.v1.PlaceService/CreatePlace",
                          absl::StrCat(R"({"place":{"kind":"COMMERCIAL_BUILDING",)",
                                       R"("displayName":"Harbour Tower","areaId":")", s2.id(),
                                       R"(","employeeCount":450},"requestId":"tower-1"})"),
                          city);
  ASSERT_EQ(created.status, 200) << created.body;
  orgs::v1::Place tower;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(created.body, &tower).ok());
  EXPECT_EQ(tower.area_path(), "gw-d/s2");

  // The report, as JSON and as gRPC, names the rule and the numbers.
  auto report = PostJson("/grassroots.orgs.v1.PlaceService/ListUncoveredPlaces",
                         absl::StrCat(R"({"areaId":")", s2.id(), R"("})"), city);
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_NE(report.body.find(R"("rule":"WORKPLACE_COVERAGE")"), std::string::npos) << report.body;
  EXPECT_NE(report.body.find("450 employees"), std::string::npos) << report.body;
  auto places = orgs::v1::PlaceService::NewStub(GatewayChannel());
  orgs::v1::ListUncoveredPlacesRequest request;
  orgs::v1::ListUncoveredPlacesResponse response;
  ASSERT_TRUE(places->ListUncoveredPlaces(Context("city-secret").get(), request, &response).ok());
  ASSERT_EQ(response.places_size(), 1);
  EXPECT_EQ(response.places(0).place().id(), tower.id());

  // Street s1's key sees none of street s2's places, on either edge.
  orgs::v1::GetPlaceRequest get;
  get.set_id(tower.id());
  orgs::v1::Place read;
  EXPECT_EQ(places->GetPlace(Context("street-secret").get(), get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto foreign =
      PostJson("/grassroots.orgs.v1.PlaceService/GetPlace",
               absl::StrCat(R"({"id":")", tower.id(), R"("})"), {{"x-api-key", "street-secret"}});
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  ASSERT_TRUE(places->ListUncoveredPlaces(Context("street-secret").get(), request, &response).ok());
  EXPECT_EQ(response.places_size(), 0);
  // A viewer reads but may not create places or set a region's thresholds.
  auto viewer = PostJson("/grassroots.orgs.v1.PlaceService/CreatePlace",
                         absl::StrCat(R"({"place":{"kind":"MARKET","displayName":"M","areaId":")",
                                      s1.id(), R"(","employeeCount":5}})"),
                         {{"x-api-key", "viewer-secret"}});
  EXPECT_EQ(viewer.status, 403) << viewer.body;
  auto thresholds = PostJson(
      "/grassroots.orgs.v1.FormationService/SetFormationThresholds",
      absl::StrCat(R"({"areaId":")", s2.id(), R"(","thresholds":{"workplaceMinEmployees":500}})"),
      {{"x-api-key", "viewer-secret"}});
  EXPECT_EQ(thresholds.status, 403) << thresholds.body;
  // An administrator raises street s2's threshold and the tower leaves the report.
  thresholds = PostJson(
      "/grassroots.orgs.v1.FormationService/SetFormationThresholds",
      absl::StrCat(R"({"areaId":")", s2.id(), R"(","thresholds":{"workplaceMinEmployees":500}})"),
      city);
  ASSERT_EQ(thresholds.status, 200) << thresholds.body;
  ASSERT_TRUE(places->ListUncoveredPlaces(Context("city-secret").get(), request, &response).ok());
  EXPECT_EQ(response.places_size(), 0);
}

}  // namespace
}  // namespace grassroots
