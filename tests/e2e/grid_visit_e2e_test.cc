// Visits through the gateway with the real orgs and grid processes: a grid
// worker's key logs its own door visit on the JSON edge and is refused
// another's, a viewer reads the overdue report on gRPC and may not log, and
// a street's counts per worker.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grassroots/grid/v1/building.grpc.pb.h"
#include "grassroots/grid/v1/grid.grpc.pb.h"
#include "grassroots/grid/v1/household.grpc.pb.h"
#include "grassroots/grid/v1/staff.grpc.pb.h"
#include "grassroots/grid/v1/visit.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "tests/e2e/grid_gateway_fixture.h"

namespace grassroots {
namespace {

using testing::GridGatewayTest;

constexpr char kWorker[] = "careers:e2e-wk";

TEST_F(GridGatewayTest, AWorkerLogsItsVisitsAndTheOverdueReportShowsThem) {
  // orgs' tree (ge-d/s1/c1), a grid, a unit and a key household to visit weekly.
  std::string parent;
  for (auto [kind, code] :
       {std::pair{orgs::v1::DISTRICT, "ge-d"}, std::pair{orgs::v1::STREET, "s1"},
        std::pair{orgs::v1::COMMUNITY, "c1"}}) {
    parent = CreateArea(kind, code, parent);
    ASSERT_FALSE(parent.empty()) << code;
  }
  grid::v1::CreateGridRequest create_grid;
  create_grid.mutable_grid()->set_code("g01");
  create_grid.mutable_grid()->set_display_name("Grid One");
  create_grid.mutable_grid()->set_community_id(parent);
  grid::v1::Grid grid;
  ASSERT_TRUE(grid::v1::GridService::NewStub(GatewayChannel())
                  ->CreateGrid(Context("city-secret").get(), create_grid, &grid)
                  .ok());
  auto buildings = grid::v1::BuildingService::NewStub(GatewayChannel());
  grid::v1::CreateBuildingRequest create_building;
  create_building.mutable_building()->set_grid_id(grid.id());
  create_building.mutable_building()->set_display_name("Tower 9");
  grid::v1::Building building;
  ASSERT_TRUE(
      buildings->CreateBuilding(Context("city-secret").get(), create_building, &building).ok());
  grid::v1::CreateUnitRequest create_unit;
  create_unit.mutable_unit()->set_building_id(building.id());
  create_unit.mutable_unit()->set_display_name("A");
  grid::v1::Unit unit;
  ASSERT_TRUE(buildings->CreateUnit(Context("city-secret").get(), create_unit, &unit).ok());
  grid::v1::CreateHouseholdRequest create_household;
  auto* h = create_household.mutable_household();
  h->set_unit_id(unit.id());
  h->set_address("1801");
  h->set_head_name("赵大爷");
  h->set_resident_count(1);
  h->set_key_household(true);
  h->set_key_reason("elderly living alone");
  h->set_visit_interval_days(7);
  grid::v1::Household household;
  ASSERT_TRUE(grid::v1::HouseholdService::NewStub(GatewayChannel())
                  ->CreateHousehold(Context("city-secret").get(), create_household, &household)
                  .ok());
  for (const char* person : {kWorker, "careers:e2e-other"}) {
    grid::v1::AssignStaffRequest assign;
    assign.mutable_assignment()->set_grid_id(grid.id());
    assign.mutable_assignment()->set_role(grid::v1::GRID_WORKER);
    assign.mutable_assignment()->set_person_ref(person);
    assign.mutable_assignment()->set_person_name("李小红");
    assign.mutable_assignment()->set_start_date("2020-01-01");
    grid::v1::StaffAssignment made;
    ASSERT_TRUE(grid::v1::GridStaffService::NewStub(GatewayChannel())
                    ->AssignStaff(Context("city-secret").get(), assign, &made)
                    .ok());
  }

  // The worker's own door visit, ten days ago, on the JSON edge.
  const std::string when =
      absl::FormatTime(absl::RFC3339_sec, absl::Now() - absl::Hours(240), absl::UTCTimeZone());
  auto visit_json = [&](const std::string& worker) {
    return absl::StrCat(R"({"visit":{"householdId":")", household.id(), R"(","workerRef":")",
                        worker, R"(","kind":"DOOR_VISIT","visitTime":")", when,
                        R"(","findings":"well; needs a handrail","followUpNeeded":true},)",
                        R"("requestId":"e2e-visit-1"})");
  };
  auto logged =
      PostJson("/grassroots.grid.v1.VisitService/LogVisit", visit_json(kWorker), "worker-secret");
  ASSERT_EQ(logged.status, 200) << logged.body;
  grid::v1::Visit visit;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(logged.body, &visit).ok());
  EXPECT_EQ(visit.worker_name(), "李*红");
  auto as_other = PostJson("/grassroots.grid.v1.VisitService/LogVisit",
                           visit_json("careers:e2e-other"), "worker-secret");
  EXPECT_EQ(as_other.status, 403) << as_other.body;
  EXPECT_NE(as_other.body.find("WORKER_NOT_CALLER"), std::string::npos) << as_other.body;
  auto by_viewer =
      PostJson("/grassroots.grid.v1.VisitService/LogVisit", visit_json(kWorker), "viewer-secret");
  EXPECT_EQ(by_viewer.status, 403) << by_viewer.body;
  EXPECT_NE(by_viewer.body.find("ROLE_REQUIRED"), std::string::npos) << by_viewer.body;

  // Due three days ago: the viewer sees it on gRPC, naming the visit.
  auto visits = grid::v1::VisitService::NewStub(GatewayChannel());
  grid::v1::ListOverdueVisitsRequest overdue;
  overdue.set_area_path("ge-d/s1");
  grid::v1::ListOverdueVisitsResponse report;
  ASSERT_TRUE(visits->ListOverdueVisits(Context("viewer-secret").get(), overdue, &report).ok());
  ASSERT_EQ(report.overdue_size(), 1);
  EXPECT_EQ(report.overdue(0).household_id(), household.id());
  EXPECT_EQ(report.overdue(0).last_visit_id(), visit.id());
  EXPECT_EQ(report.overdue(0).days_overdue(), 3);
  // The worker's key (street s1) may not read street s2's report.
  overdue.set_area_path("ge-d/s2");
  EXPECT_EQ(
      visits->ListOverdueVisits(Context("worker-secret").get(), overdue, &report).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // The street's counts per worker over the last month.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  auto counted = PostJson("/grassroots.grid.v1.VisitService/CountVisitsByWorker",
                          absl::StrCat(R"({"areaPath":"ge-d/s1","period":{"startDate":")",
                                       absl::FormatCivilTime(today - 30), R"(","endDate":")",
                                       absl::FormatCivilTime(today + 1), R"("}})"),
                          "street-secret");
  ASSERT_EQ(counted.status, 200) << counted.body;
  EXPECT_NE(counted.body.find(R"("workerRef":"careers:e2e-wk")"), std::string::npos)
      << counted.body;
  EXPECT_NE(counted.body.find(R"("followUps":"1")"), std::string::npos) << counted.body;
}

}  // namespace
}  // namespace grassroots
