// The grid service in one process against a real MariaDB, with the real
// orgs AreaService in-process on a schema of its own for the jurisdiction
// tree: grid asks it over gRPC as it does in production (no fake).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/status/grpc_status.h"
#include "grassroots/grid/v1/building.grpc.pb.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "grassroots/grid/v1/case_figures.grpc.pb.h"
#include "grassroots/grid/v1/compound.grpc.pb.h"
#include "grassroots/grid/v1/external_case.grpc.pb.h"
#include "grassroots/grid/v1/grid.grpc.pb.h"
#include "grassroots/grid/v1/household.grpc.pb.h"
#include "grassroots/grid/v1/key_person.grpc.pb.h"
#include "grassroots/grid/v1/staff.grpc.pb.h"
#include "grassroots/grid/v1/visit.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "services/grid/area_move_follower.h"
#include "services/grid/case_store.h"
#include "services/grid/whistle_store.h"
#include "tests/support/test_server.h"

namespace grassroots::grid::testing {

// One orgs and one grid service, each on a fresh schema; grid's area
// directory points at this orgs. Stopping orgs leaves grid running.
struct GridSuite;
struct GridSuiteDeleter {
  void operator()(GridSuite* suite) const;
};
using GridSuitePtr = std::unique_ptr<GridSuite, GridSuiteDeleter>;
GridSuitePtr StartGridSuite(const std::string& name);
void StopOrgs(GridSuite& suite);
// A follower of orgs' area moves for the suite's grid (not started: tests
// call CatchUp); each call makes another, as another replica would have.
std::unique_ptr<AreaMoveFollower> MakeFollower(GridSuite& suite);
::grassroots::testing::InProcessService& GridService(GridSuite& suite);
::grassroots::testing::InProcessService& OrgsService(GridSuite& suite);
// The suite's case store, for the sweeper's steps at a chosen time.
CaseStore& Cases(GridSuite& suite);
WhistleStore& Whistles(GridSuite& suite);
// A case store without the cache, on the same schema: writes as another
// replica of grid would make them (the suite's cache learns of them only
// from the feed).
CaseStore& AnotherReplicasCases(GridSuite& suite);
CaseViewCache& CaseCache(GridSuite& suite);
// Numbers the change log and has the case cache apply it, as its follower
// thread would within milliseconds.
absl::Status CatchUpCaseCache(GridSuite& suite);
// Sequences the change log and counts it into the live figures, as the
// aggregator's round would; the number of changes counted.
absl::StatusOr<int64_t> CountFigures(GridSuite& suite);
// The street gauges as the metrics endpoint would show them.
std::string StreetGaugesText(GridSuite& suite);

// Calls over gRPC with principals of a chosen scope, and the orgs tree.
class GridClient {
 public:
  explicit GridClient(GridSuite& suite);

  // A district `code` with streets s1 (communities c1, c2) and s2 (community c3).
  struct Tree {
    std::string code, district, s1, s2, c1, c2, c3;
  };
  Tree MakeTree(const std::string& code);
  std::string AreaId(orgs::v1::AreaKind kind, const std::string& code, const std::string& parent);

  absl::StatusOr<v1::Grid> CreateGrid(const std::string& community, const std::string& code,
                                      const std::string& scope = "",
                                      const std::string& request_id = "");

  // One RPC with a principal of this scope and id: the reply or the status.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Rpc(
      Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
      const Request& request, const std::string& scope = "", const std::string& actor = "tester",
      const std::vector<std::string>& roles = {"orgs.admin"}) {
    Response out;
    auto context = principals_.Context(scope, actor, roles);
    grpc::Status status = (stub.*method)(context.get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // A compound, a building in it and a unit of the building, in `grid`.
  struct Block {
    std::string compound, building, unit;
  };
  Block MakeBlock(const std::string& grid, const std::string& name = "Riverside Gardens");

  // A household at `address` of `unit`, its head 张三丰 unless given.
  absl::StatusOr<v1::Household> AddHousehold(const std::string& unit, const std::string& address,
                                             const std::string& phone = "13812345678",
                                             const std::string& id_number = "110101199003071233",
                                             const std::string& scope = "",
                                             const std::string& request_id = "");
  // ImportHouseholds with `data` sent in pieces of at most 700 bytes.
  absl::StatusOr<common::v1::ImportResult> ImportHouseholds(const std::string& data,
                                                            common::v1::FileFormat format,
                                                            const std::string& scope = "",
                                                            const std::string& request_id = "");

  // ImportCases the same way, as a grid.admin.
  absl::StatusOr<common::v1::ImportResult> ImportCases(const std::string& data,
                                                       common::v1::FileFormat format,
                                                       const std::string& scope = "",
                                                       const std::string& request_id = "");

  db::ConnectionPool& pool();

  ::grassroots::testing::TestPrincipals principals_;
  std::unique_ptr<orgs::v1::AreaService::Stub> areas_;
  std::unique_ptr<v1::GridService::Stub> grids_;
  std::unique_ptr<v1::CompoundService::Stub> compounds_;
  std::unique_ptr<v1::BuildingService::Stub> buildings_;
  std::unique_ptr<v1::HouseholdService::Stub> households_;
  std::unique_ptr<v1::GridStaffService::Stub> staff_;
  std::unique_ptr<v1::KeyPersonService::Stub> key_persons_;
  std::unique_ptr<v1::VisitService::Stub> visits_;
  std::unique_ptr<v1::ChangeFeedService::Stub> feed_;
  std::unique_ptr<v1::CaseService::Stub> cases_;
  std::unique_ptr<v1::CaseSetupService::Stub> case_setup_;
  std::unique_ptr<v1::CaseFiguresService::Stub> figures_;
  std::unique_ptr<v1::ExternalCaseService::Stub> external_cases_;

 private:
  GridSuite& suite_;
};

// A test suite sharing one GridSuite (starting services costs seconds).
class GridServiceTest : public ::testing::Test, public GridClient {
 protected:
  GridServiceTest() : GridClient(*suite_) {}
  static void SetUpTestSuite() { suite_ = StartGridSuite("grid").release(); }
  static void TearDownTestSuite();

  static GridSuite* suite_;
};

// Moves the area `id` under `parent` in orgs.
absl::Status MoveArea(GridClient& client, const std::string& id, const std::string& parent);
// The grid's path once the follower has caught up with orgs (the feed is
// numbered just after commit), or its last path after five seconds.
std::string PathAfterCatchUp(GridClient& client, AreaMoveFollower& follower,
                             const std::string& grid_id, const std::string& expected);

std::string Reason(const absl::Status& status);

}  // namespace grassroots::grid::testing
