// The real orgs binary as a process: it becomes healthy, serves, keeps what
// it accepted across a restart, and exits 0 on SIGTERM.
#include <cppconn/driver.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/test_server.h"

namespace grassroots {
namespace {

class OrgsProcess {
 public:
  OrgsProcess(const db::DbOptions& db, int port)
      : port_(port),
        process_({GRASSROOTS_ORGS_BINARY, absl::StrCat("--grpc-address=127.0.0.1:", port),
                  "--metrics-address=127.0.0.1:0",
                  absl::StrCat("--principal-key=", testing::kTestPrincipalKey),
                  absl::StrCat("--db-port=", db.port), absl::StrCat("--db-user=", db.user),
                  absl::StrCat("--db-schema=", db.schema),
                  absl::StrCat("--personal-data-key=", testing::kTestPersonalDataKey),
                  "--log-level=warn"}) {}
  int Terminate() { return process_.Terminate(); }
  std::unique_ptr<orgs::v1::AreaService::Stub> Stub() {
    return orgs::v1::AreaService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials()));
  }

 private:
  int port_;
  testing::ChildProcess process_;
};

// Calls ListAreas until the service answers OK (health SERVING implies it).
bool WaitServing(orgs::v1::AreaService::Stub& stub, const testing::TestPrincipals& principals) {
  for (int i = 0; i < 300; ++i) {
    orgs::v1::ListAreasRequest request;
    orgs::v1::ListAreasResponse response;
    auto context = principals.Context("");
    context->set_wait_for_ready(true);  // ride out connection back-off while it starts
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    if (stub.ListAreas(context.get(), request, &response).ok()) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

TEST(OrgsProcessTest, ServesKeepsAcceptedWritesAndExitsZeroOnSigterm) {
  get_driver_instance();
  const db::DbOptions db = testing::FreshSchema("e2e");
  const int port = testing::PickFreePort();
  testing::TestPrincipals principals;
  std::vector<std::string> accepted;
  {
    OrgsProcess orgs(db, port);
    auto stub = orgs.Stub();
    ASSERT_TRUE(WaitServing(*stub, principals));
    for (int i = 0; i < 20; ++i) {
      orgs::v1::CreateAreaRequest request;
      request.mutable_area()->set_kind(orgs::v1::DISTRICT);
      request.mutable_area()->set_code("d" + std::to_string(i));
      request.mutable_area()->set_display_name("District " + std::to_string(i));
      orgs::v1::Area area;
      ASSERT_TRUE(stub->CreateArea(principals.Context("").get(), request, &area).ok());
      accepted.push_back(area.id());
    }
    EXPECT_EQ(orgs.Terminate(), 0);
  }
  OrgsProcess again(db, port);
  auto stub = again.Stub();
  ASSERT_TRUE(WaitServing(*stub, principals));
  for (const auto& id : accepted) {
    orgs::v1::GetAreaRequest request;
    request.set_id(id);
    orgs::v1::Area area;
    EXPECT_TRUE(stub->GetArea(principals.Context("").get(), request, &area).ok()) << id;
  }
  EXPECT_EQ(again.Terminate(), 0);
  // Bad configuration stops the process with a one-line reason and status 2.
  const std::string command =
      absl::StrCat(GRASSROOTS_ORGS_BINARY, " --no-such-option=1 2>/dev/null");
  EXPECT_EQ(WEXITSTATUS(std::system(command.c_str())), 2);
}

// Before its database is migrated the server already answers (health says
// NOT_SERVING), but it refuses calls instead of running them against a
// half-made schema: here the database never comes, so every call is refused.
TEST(OrgsProcessTest, RefusesCallsUntilItsDatabaseIsReady) {
  db::DbOptions nowhere = testing::FreshSchema("e2e_nowhere");
  nowhere.port = testing::PickFreePort();  // nothing listens there
  const int port = testing::PickFreePort();
  testing::TestPrincipals principals;
  OrgsProcess orgs(nowhere, port);
  auto stub = orgs.Stub();
  grpc::Status status;
  for (int i = 0; i < 100; ++i) {
    orgs::v1::ListAreasRequest request;
    orgs::v1::ListAreasResponse response;
    auto context = principals.Context("");
    context->set_wait_for_ready(true);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    status = stub->ListAreas(context.get(), request, &response);
    if (status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) break;
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("starting"), std::string::npos) << status.error_message();
  EXPECT_EQ(orgs.Terminate(), 0);
}

}  // namespace
}  // namespace grassroots
