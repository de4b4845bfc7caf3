#include "tests/e2e/volunteer_gateway_fixture.h"

#include <cppconn/driver.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/sha256.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/careers/v1/worker.grpc.pb.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "tests/e2e/grid_gateway_fixture.h"
#include "tests/support/test_server.h"

namespace grassroots::testing {

void VolunteerGatewayTest::SetUp() {
  get_driver_instance();
  volunteer_port_ = PickFreePort();
  careers_port_ = PickFreePort();
  gateway_port_ = PickFreePort();
  http_port_ = PickFreePort();
  keys_file_ = absl::StrCat(::testing::TempDir(), "/volunteer-api-keys-", getpid());
  std::ofstream(keys_file_) << "city-admin " << Sha256Hex("city-secret")
                            << " volunteer.admin,careers.admin -\n"
                            << "street-s1 " << Sha256Hex("street-secret")
                            << " volunteer.organiser ve-d/s1\n"
                            << "viewer " << Sha256Hex("viewer-secret") << " volunteer.viewer -\n";
  const db::DbOptions db = FreshSchema("e2e_volunteer");
  careers_db_ = FreshSchema("e2e_volunteer_careers");
  StartCareers();
  std::vector<std::string> volunteer_args =
      ServiceArgs(GRASSROOTS_VOLUNTEER_BINARY, volunteer_port_, db, kTestPersonalDataKey);
  volunteer_args.push_back("--wish-sweep-interval-ms=200");
  volunteer_args.push_back(absl::StrCat("--careers-address=127.0.0.1:", careers_port_));
  volunteer_ = std::make_unique<ChildProcess>(volunteer_args);
  gateway_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      GRASSROOTS_GATEWAY_BINARY, absl::StrCat("--grpc-address=127.0.0.1:", gateway_port_),
      absl::StrCat("--http-address=127.0.0.1:", http_port_), "--metrics-address=127.0.0.1:0",
      absl::StrCat("--principal-key=", kTestPrincipalKey),
      absl::StrCat("--routes=grassroots.volunteer.v1=127.0.0.1:", volunteer_port_,
                   ",grassroots.careers.v1=127.0.0.1:", careers_port_),
      absl::StrCat("--api-keys-file=", keys_file_), "--max-deadline-ms=5000", "--log-level=warn"});
  http_ = std::make_unique<HttpClient>(http_port_);
  ASSERT_TRUE(WaitServing()) << "volunteer and the gateway did not both come up";
}

void VolunteerGatewayTest::StartCareers() {
  careers_ = std::make_unique<ChildProcess>(
      ServiceArgs(GRASSROOTS_CAREERS_BINARY, careers_port_, careers_db_, kTestPersonalDataKey));
}

bool VolunteerGatewayTest::CareersServing() {
  auto workers = careers::v1::WorkerService::NewStub(GatewayChannel());
  auto context = Context("city-secret");
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  careers::v1::ListWorkersRequest request;
  request.set_page_size(1);
  careers::v1::ListWorkersResponse response;
  return workers->ListWorkers(context.get(), request, &response).ok();
}

void VolunteerGatewayTest::StopCareers() { EXPECT_EQ(careers_->Terminate(), 0); }

std::unique_ptr<grpc::ClientContext> VolunteerGatewayTest::Context(const std::string& key) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("x-api-key", key);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

std::shared_ptr<grpc::Channel> VolunteerGatewayTest::GatewayChannel() {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway_port_),
                             grpc::InsecureChannelCredentials());
}

bool VolunteerGatewayTest::WaitServing() {
  auto ledger = volunteer::v1::LedgerService::NewStub(GatewayChannel());
  for (int i = 0; i < 300; ++i) {
    auto context = Context("city-secret");
    context->set_wait_for_ready(true);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    volunteer::v1::CheckInvariantsResponse response;
    if (ledger->CheckInvariants(context.get(), volunteer::v1::CheckInvariantsRequest(), &response)
            .ok() &&
        CareersServing()) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

}  // namespace grassroots::testing
