// Stopping a service lets calls already running finish, refuses new ones and
// returns cleanly.
#include <cppconn/driver.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "services/orgs/area_handler.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs {
namespace {

TEST(AreaDrainTest, InFlightCallsFinishAndNewOnesAreRefused) {
  grassroots::testing::InProcessService service("orgs", grassroots::testing::FreshSchema("drain"),
                                                {&db::orgs_migrations()});
  AreaStore store(*service.env().pool, *service.env().changes);
  AreaHandler handler(service.env(), store);
  service.Start({&handler});
  grassroots::testing::TestPrincipals principals;
  auto stub = v1::AreaService::NewStub(service.Channel());

  v1::CreateAreaRequest create;
  create.mutable_area()->set_kind(v1::DISTRICT);
  create.mutable_area()->set_code("drain-d");
  create.mutable_area()->set_display_name("Drain");
  v1::Area district;
  ASSERT_TRUE(stub->CreateArea(principals.Context("").get(), create, &district).ok());

  // Hold the row so the update below stays in flight.
  const auto& db = service.database();
  std::unique_ptr<sql::Connection> holder(get_driver_instance()->connect(
      absl::StrCat("tcp://127.0.0.1:", db.port), db.user, db.password));
  holder->setSchema(db.schema);
  holder->setAutoCommit(false);
  std::unique_ptr<sql::Statement> lock(holder->createStatement());
  std::unique_ptr<sql::ResultSet> locked(
      lock->executeQuery("SELECT id FROM areas WHERE id = '" + district.id() + "' FOR UPDATE"));
  ASSERT_TRUE(locked->next());

  v1::UpdateAreaRequest update;
  update.mutable_area()->set_id(district.id());
  update.mutable_area()->set_display_name("Renamed while stopping");
  update.mutable_update_mask()->add_paths("display_name");
  grpc::Status in_flight_status;
  v1::Area updated;
  std::thread in_flight(
      [&] { in_flight_status = stub->UpdateArea(principals.Context("").get(), update, &updated); });
  absl::SleepFor(absl::Milliseconds(300));  // the update is now waiting on the lock

  std::thread stopper([&] { service.Stop(); });
  absl::SleepFor(absl::Milliseconds(300));
  // New connections are refused while draining (a new client, as a
  // rebalancing client would open).
  auto fresh = v1::AreaService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", service.host().grpc_port()), grpc::InsecureChannelCredentials()));
  v1::GetAreaRequest get;
  get.set_id(district.id());
  v1::Area got;
  auto context = principals.Context("");
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  auto refused = fresh->GetArea(context.get(), get, &got);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();

  holder->rollback();  // release the row: the in-flight update completes
  in_flight.join();
  stopper.join();
  EXPECT_TRUE(in_flight_status.ok()) << in_flight_status.error_message();
  EXPECT_EQ(updated.display_name(), "Renamed while stopping");
}

}  // namespace
}  // namespace grassroots::orgs
