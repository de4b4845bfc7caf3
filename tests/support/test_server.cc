#include "tests/support/test_server.h"

#include <cppconn/driver.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/config/config.h"
#include "common/db/transaction.h"

namespace grassroots::testing {

int64_t QueryInt(db::ConnectionPool& pool, const std::string& sql) {
  int64_t n = -1;
  EXPECT_TRUE(db::RunReadOnly(pool, [&](db::Connection& c) {
                auto& statement = c.Prepare(sql);
                auto rows = c.Query(statement);
                if (rows->next()) n = rows->getInt64(1);
                return absl::OkStatus();
              }).ok());
  return n;
}

TestPrincipals::TestPrincipals() {
  codec_ = std::make_unique<PrincipalCodec>(*PrincipalCodec::Create(kTestPrincipalKey));
}

std::unique_ptr<grpc::ClientContext> TestPrincipals::Context(const std::string& scope,
                                                             const std::string& id) const {
  common::v1::Principal principal;
  principal.set_id(id);
  principal.set_scope_path(scope);
  principal.add_roles("orgs.admin");
  // A day and a half: tests move the service's clock to noon of today
  // (SetToday), up to 12 hours ahead of the wall clock after midnight UTC.
  principal.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(36)));
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata(std::string(kPrincipalMetadataKey), codec_->Sign(principal));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

InProcessService::InProcessService(const std::string& service, db::DbOptions database,
                                   std::vector<const db::MigrationSet*> migrations)
    : database_(std::move(database)) {
  get_driver_instance();
  std::vector<std::string> args = {
      "--grpc-address=127.0.0.1:0",
      "--metrics-address=127.0.0.1:0",
      absl::StrCat("--principal-key=", kTestPrincipalKey),
      absl::StrCat("--db-host=", database_.host),
      absl::StrCat("--db-port=", database_.port),
      absl::StrCat("--db-user=", database_.user),
      absl::StrCat("--db-schema=", database_.schema),
      "--db-pool-size=8",
      "--change-sequencer-interval-ms=5",
      "--shutdown-grace-ms=5000",
      "--log-level=warn",
  };
  auto config = Config::Load(ServiceHost::StandardOptions(0, 0), args, {});
  EXPECT_TRUE(config.ok()) << config.status();
  auto host = ServiceHost::Create(service, *config, std::move(migrations));
  EXPECT_TRUE(host.ok()) << host.status();
  host_ = *std::move(host);
}

InProcessService::~InProcessService() { Stop(); }

void InProcessService::Start(const std::vector<grpc::Service*>& services) {
  for (grpc::Service* s : services) host_->AddService(s);
  runner_ = std::thread([this] { run_status_ = host_->Run(); });
  ASSERT_TRUE(host_->WaitUntilServing(absl::Seconds(60))) << "service did not become ready";
}

void InProcessService::Stop() {
  host_->RequestStop();
  if (runner_.joinable()) runner_.join();
}

std::shared_ptr<grpc::Channel> InProcessService::Channel() {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", host_->grpc_port()),
                             grpc::InsecureChannelCredentials());
}

}  // namespace grassroots::testing
