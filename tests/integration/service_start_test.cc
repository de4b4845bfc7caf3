// A service's port listens before it is ready (health answers NOT_SERVING),
// and a call arriving then is refused UNAVAILABLE instead of running against
// a schema still being migrated or caches still loading.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "services/orgs/area_handler.h"
#include "services/orgs/area_store.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs {
namespace {

TEST(ServiceStartTest, CallsBeforeTheServiceIsReadyAreRefusedUnavailable) {
  testing::InProcessService service("orgs", testing::FreshSchema("orgs_start"),
                                    {&db::orgs_migrations()});
  AreaStore store(*service.env().pool, *service.env().changes);
  AreaHandler handler(service.env(), store);
  service.host().AddService(&handler);
  // A readiness step that holds the service not ready until released.
  absl::Notification step_running, release;
  std::atomic<int> port{0};
  service.host().AddReadinessStep("held by the test", [&] {
    port = service.host().grpc_port();  // listening by now
    step_running.Notify();
    release.WaitForNotification();
    return absl::OkStatus();
  });
  absl::Status run_status;
  std::thread runner([&] { run_status = service.host().Run(); });
  step_running.WaitForNotification();

  auto stub = v1::AreaService::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port.load()),
                                                           grpc::InsecureChannelCredentials()));
  testing::TestPrincipals principals;
  v1::ListAreasRequest request;
  v1::ListAreasResponse response;
  auto early = stub->ListAreas(principals.Context("").get(), request, &response);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ErrorReason(FromGrpcStatus(early)).value_or(""), "SERVICE_STARTING");

  release.Notify();
  ASSERT_TRUE(service.host().WaitUntilServing(absl::Seconds(60)));
  auto ready = stub->ListAreas(principals.Context("").get(), request, &response);
  EXPECT_TRUE(ready.ok()) << ready.error_message();
  service.host().RequestStop();
  runner.join();
  EXPECT_TRUE(run_status.ok()) << run_status;
}

}  // namespace
}  // namespace grassroots::orgs
