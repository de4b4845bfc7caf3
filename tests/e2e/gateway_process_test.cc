// The gateway and orgs as real processes: API keys, principal replacement,
// scope, key reload, refusals and an unavailable backend.
#include <cppconn/driver.h>
#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/sha256.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/test_server.h"

namespace grassroots {
namespace {

using orgs::v1::Area;
using orgs::v1::AreaService;

class GatewayProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    get_driver_instance();
    const db::DbOptions db = testing::FreshSchema("gateway");
    orgs_port_ = testing::PickFreePort();
    gateway_port_ = testing::PickFreePort();
    keys_file_ = absl::StrCat(::testing::TempDir(), "/api-keys-", getpid());
    std::ofstream(keys_file_) << "# test keys\n"
                              << "city-admin " << Sha256Hex("city-secret") << " orgs.admin -\n"
                              << "street-s1 " << Sha256Hex("street-secret")
                              << " orgs.admin gw-d/s1\n";
    orgs_ = std::make_unique<testing::ChildProcess>(std::vector<std::string>{
        GRASSROOTS_ORGS_BINARY, absl::StrCat("--grpc-address=127.0.0.1:", orgs_port_),
        "--metrics-address=127.0.0.1:0",
        absl::StrCat("--principal-key=", testing::kTestPrincipalKey),
        absl::StrCat("--db-port=", db.port), absl::StrCat("--db-user=", db.user),
        absl::StrCat("--db-schema=", db.schema), "--log-level=warn"});
    gateway_ = std::make_unique<testing::ChildProcess>(std::vector<std::string>{
        GRASSROOTS_GATEWAY_BINARY, absl::StrCat("--grpc-address=127.0.0.1:", gateway_port_),
        "--metrics-address=127.0.0.1:0",
        absl::StrCat("--principal-key=", testing::kTestPrincipalKey),
        absl::StrCat("--routes=grassroots.orgs.v1=127.0.0.1:", orgs_port_),
        absl::StrCat("--api-keys-file=", keys_file_), "--max-deadline-ms=3000",
        "--log-level=warn"});
    stub_ = AreaService::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway_port_),
                                                     grpc::InsecureChannelCredentials()));
    ASSERT_TRUE(WaitServing());
  }

  std::unique_ptr<grpc::ClientContext> Context(const std::string& key) {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!key.empty()) context->AddMetadata("x-api-key", key);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return context;
  }

  bool WaitServing() {
    for (int i = 0; i < 300; ++i) {
      orgs::v1::ListAreasRequest request;
      orgs::v1::ListAreasResponse response;
      auto context = Context("city-secret");
      context->set_wait_for_ready(true);
      context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
      if (stub_->ListAreas(context.get(), request, &response).ok()) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  grpc::Status Create(const std::string& key, orgs::v1::AreaKind kind, const std::string& code,
                      const std::string& parent, Area* out) {
    orgs::v1::CreateAreaRequest request;
    request.mutable_area()->set_kind(kind);
    request.mutable_area()->set_code(code);
    request.mutable_area()->set_display_name("Area " + code);
    request.mutable_area()->set_parent_id(parent);
    return stub_->CreateArea(Context(key).get(), request, out);
  }

  grpc::Status Get(std::unique_ptr<grpc::ClientContext> context, const std::string& id) {
    orgs::v1::GetAreaRequest request;
    request.set_id(id);
    Area area;
    return stub_->GetArea(context.get(), request, &area);
  }

  int orgs_port_ = 0, gateway_port_ = 0;
  std::string keys_file_;
  std::unique_ptr<testing::ChildProcess> orgs_, gateway_;
  std::unique_ptr<AreaService::Stub> stub_;
};

TEST_F(GatewayProcessTest, AuthenticatesScopesAndForwards) {
  Area d, s1, s2;
  ASSERT_TRUE(Create("city-secret", orgs::v1::DISTRICT, "gw-d", "", &d).ok());
  ASSERT_TRUE(Create("city-secret", orgs::v1::STREET, "s1", d.id(), &s1).ok());
  ASSERT_TRUE(Create("city-secret", orgs::v1::STREET, "s2", d.id(), &s2).ok());

  // The street key sees its street and nothing else.
  EXPECT_TRUE(Get(Context("street-secret"), s1.id()).ok());
  EXPECT_EQ(Get(Context("street-secret"), s2.id()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A principal sent from outside is dropped, even a well-formed signed one.
  common::v1::Principal root;
  root.set_id("intruder");
  root.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  auto forged = Context("street-secret");
  forged->AddMetadata(std::string(kPrincipalMetadataKey),
                      testing::TestPrincipals().codec().Sign(root));
  EXPECT_EQ(Get(std::move(forged), s2.id()).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Missing and unknown keys learn nothing.
  auto missing = Get(Context(""), s1.id());
  auto unknown = Get(Context("guess"), s1.id());
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(missing.error_message(), unknown.error_message());

  // Keys added to the file work without a restart.
  std::ofstream(keys_file_, std::ios::app)
      << "late " << Sha256Hex("late-secret") << " orgs.admin -\n";
  bool accepted = false;
  for (int i = 0; i < 50 && !accepted; ++i) {
    accepted = Get(Context("late-secret"), s2.id()).ok();
    if (!accepted) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(accepted);

  // Streaming methods are refused plainly for now.
  orgs::v1::ImportAreasResponse imported;
  auto context = Context("city-secret");
  auto writer = stub_->ImportAreas(context.get(), &imported);
  writer->WritesDone();
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(GatewayProcessTest, AStoppedBackendAnswersUnavailableQuickly) {
  EXPECT_EQ(orgs_->Terminate(), 0);
  const absl::Time start = absl::Now();
  auto status = Get(Context("city-secret"), "ar_anything");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ(gateway_->Terminate(), 0);
}

}  // namespace
}  // namespace grassroots
