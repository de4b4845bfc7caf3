#include "tests/e2e/grid_gateway_fixture.h"

#include <cppconn/driver.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/sha256.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/grid/v1/grid.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "tests/support/test_server.h"

namespace grassroots::testing {
namespace {

// grid's personal data is kept under a key of its own, not orgs'.
constexpr char kGridPersonalDataKey[] = "e2e-grid-personal-data-key-0123456789abcdef";

}  // namespace

std::vector<std::string> ServiceArgs(const std::string& binary, int port, const db::DbOptions& db,
                                     const std::string& data_key) {
  return {binary,
          absl::StrCat("--grpc-address=127.0.0.1:", port),
          "--metrics-address=127.0.0.1:0",
          absl::StrCat("--principal-key=", kTestPrincipalKey),
          absl::StrCat("--db-port=", db.port),
          absl::StrCat("--db-user=", db.user),
          absl::StrCat("--db-schema=", db.schema),
          absl::StrCat("--personal-data-key=", data_key),
          "--log-level=warn"};
}

void GridGatewayTest::SetUp() {
  get_driver_instance();
  orgs_port_ = PickFreePort();
  if (grid_port_ == 0) grid_port_ = PickFreePort();  // a subclass may have chosen it
  gateway_port_ = PickFreePort();
  http_port_ = PickFreePort();
  keys_file_ = absl::StrCat(::testing::TempDir(), "/grid-api-keys-", getpid());
  std::ofstream(keys_file_) << "city-admin " << Sha256Hex("city-secret")
                            << " orgs.admin,grid.admin -\n"
                            << "street-s1 " << Sha256Hex("street-secret")
                            << " orgs.admin,grid.admin ge-d/s1\n"
                            << "viewer " << Sha256Hex("viewer-secret")
                            << " orgs.viewer,grid.viewer -\n"
                            << "worker-17 " << Sha256Hex("reporter-secret") << " grid.reporter -\n"
                            << "supervision " << Sha256Hex("supervisor-secret")
                            << " grid.supervisor -\n"
                            << "command " << Sha256Hex("dispatcher-secret")
                            << " grid.dispatcher -\n"
                            << "bureau " << Sha256Hex("handler-secret") << " grid.handler -\n"
                            << "careers:e2e-wk " << Sha256Hex("worker-secret")
                            << " grid.worker ge-d/s1\n"
                            << extra_keys_;
  orgs_ = std::make_unique<ChildProcess>(ServiceArgs(
      GRASSROOTS_ORGS_BINARY, orgs_port_, FreshSchema("e2e_grid_orgs"), kTestPersonalDataKey));
  auto grid_args = ServiceArgs(GRASSROOTS_GRID_BINARY, grid_port_, FreshSchema("e2e_grid"),
                               kGridPersonalDataKey);
  grid_args.push_back(absl::StrCat("--orgs-address=127.0.0.1:", orgs_port_));
  grid_args.insert(grid_args.end(), extra_grid_args_.begin(), extra_grid_args_.end());
  grid_ = std::make_unique<ChildProcess>(grid_args);
  gateway_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      GRASSROOTS_GATEWAY_BINARY, absl::StrCat("--grpc-address=127.0.0.1:", gateway_port_),
      absl::StrCat("--http-address=127.0.0.1:", http_port_), "--metrics-address=127.0.0.1:0",
      absl::StrCat("--principal-key=", kTestPrincipalKey),
      absl::StrCat("--routes=grassroots.orgs.v1=127.0.0.1:", orgs_port_,
                   ",grassroots.grid.v1=127.0.0.1:", grid_port_, extra_routes_),
      absl::StrCat("--api-keys-file=", keys_file_), "--max-deadline-ms=5000", "--log-level=warn"});
  http_ = std::make_unique<HttpClient>(http_port_);
  ASSERT_TRUE(WaitServing()) << "orgs, grid and the gateway did not all come up";
}

std::unique_ptr<grpc::ClientContext> GridGatewayTest::Context(const std::string& key) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("x-api-key", key);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

std::shared_ptr<grpc::Channel> GridGatewayTest::GatewayChannel() {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway_port_),
                             grpc::InsecureChannelCredentials());
}

bool GridGatewayTest::WaitServing() {
  auto areas = orgs::v1::AreaService::NewStub(GatewayChannel());
  auto grids = grid::v1::GridService::NewStub(GatewayChannel());
  for (int i = 0; i < 300; ++i) {
    auto ready = [&](auto call) {
      auto context = Context("city-secret");
      context->set_wait_for_ready(true);
      context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
      return call(context.get()).ok();
    };
    const bool orgs_up = ready([&](grpc::ClientContext* c) {
      orgs::v1::ListAreasResponse response;
      return areas->ListAreas(c, orgs::v1::ListAreasRequest(), &response);
    });
    const bool grid_up = ready([&](grpc::ClientContext* c) {
      grid::v1::ListGridsResponse response;
      return grids->ListGrids(c, grid::v1::ListGridsRequest(), &response);
    });
    if (orgs_up && grid_up) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

std::string GridGatewayTest::CreateArea(orgs::v1::AreaKind kind, const std::string& code,
                                        const std::string& parent_id) {
  auto areas = orgs::v1::AreaService::NewStub(GatewayChannel());
  orgs::v1::CreateAreaRequest request;
  request.mutable_area()->set_kind(kind);
  request.mutable_area()->set_code(code);
  request.mutable_area()->set_display_name(code);
  request.mutable_area()->set_parent_id(parent_id);
  orgs::v1::Area made;
  EXPECT_TRUE(areas->CreateArea(Context("city-secret").get(), request, &made).ok()) << code;
  return made.id();
}

std::string GridGatewayTest::CreateGrid(const std::string& community_id) {
  auto grids = grid::v1::GridService::NewStub(GatewayChannel());
  grid::v1::CreateGridRequest create;
  create.mutable_grid()->set_code("g01");
  create.mutable_grid()->set_display_name("Grid");
  create.mutable_grid()->set_community_id(community_id);
  grid::v1::Grid made;
  EXPECT_TRUE(grids->CreateGrid(Context("city-secret").get(), create, &made).ok());
  return made.id();
}

}  // namespace grassroots::testing
