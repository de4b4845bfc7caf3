#include "tests/e2e/gateway_fixture.h"

#include <cppconn/driver.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/sha256.h"
#include "common/testing/private_mariadb.h"
#include "tests/support/test_server.h"

namespace grassroots::testing {

gateway::JwtClaims AppClaims(const std::string& jurisdiction, std::vector<std::string> roles) {
  gateway::JwtClaims claims;
  claims.issuer = "https://id.test";
  claims.audience = "grassroots-e2e";
  claims.subject = "app-user";
  claims.roles = std::move(roles);
  claims.jurisdiction = jurisdiction;
  claims.expires = absl::Now() + absl::Minutes(5);
  return claims;
}

std::string Bearer(const gateway::JwtClaims& claims) {
  return "Bearer " + *gateway::SignJwtHs256(claims, kJwtSecret);
}

void GatewayProcessTest::SetUp() {
  get_driver_instance();
  const db::DbOptions db = FreshSchema("gateway");
  orgs_port_ = PickFreePort();
  keys_file_ = absl::StrCat(::testing::TempDir(), "/api-keys-", getpid());
  std::ofstream(keys_file_) << "# test keys\n"
                            << "city-admin " << Sha256Hex("city-secret") << " orgs.admin -\n"
                            << "street-s1 " << Sha256Hex("street-secret") << " orgs.admin gw-d/s1\n"
                            << "viewer " << Sha256Hex("viewer-secret") << " orgs.viewer -\n";
  orgs_argv_ = {GRASSROOTS_ORGS_BINARY,
                absl::StrCat("--grpc-address=127.0.0.1:", orgs_port_),
                "--metrics-address=127.0.0.1:0",
                absl::StrCat("--principal-key=", kTestPrincipalKey),
                absl::StrCat("--db-port=", db.port),
                absl::StrCat("--db-user=", db.user),
                absl::StrCat("--db-schema=", db.schema),
                absl::StrCat("--personal-data-key=", kTestPersonalDataKey),
                "--log-level=warn"};
  orgs_ = std::make_unique<ChildProcess>(orgs_argv_);
  StartGateway({});
  ASSERT_TRUE(WaitServing());
}

void GatewayProcessTest::RestartOrgs(const std::vector<std::string>& extra) {
  orgs_.reset();
  std::vector<std::string> argv = orgs_argv_;
  argv.insert(argv.end(), extra.begin(), extra.end());
  orgs_ = std::make_unique<ChildProcess>(argv);
}

void GatewayProcessTest::StartGateway(const std::vector<std::string>& extra) {
  gateway_.reset();
  gateway_port_ = PickFreePort();
  http_port_ = PickFreePort();
  std::vector<std::string> argv{GRASSROOTS_GATEWAY_BINARY,
                                absl::StrCat("--grpc-address=127.0.0.1:", gateway_port_),
                                absl::StrCat("--http-address=127.0.0.1:", http_port_),
                                "--metrics-address=127.0.0.1:0",
                                absl::StrCat("--principal-key=", kTestPrincipalKey),
                                absl::StrCat("--routes=grassroots.orgs.v1=127.0.0.1:", orgs_port_),
                                absl::StrCat("--api-keys-file=", keys_file_),
                                "--max-deadline-ms=3000",
                                "--jwt-issuer=https://id.test",
                                "--jwt-audience=grassroots-e2e",
                                absl::StrCat("--jwt-hs256-secret=", kJwtSecret),
                                "--log-level=warn"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  gateway_ = std::make_unique<ChildProcess>(argv);
  stub_ = orgs::v1::AreaService::NewStub(GatewayChannel());
  http_ = std::make_unique<HttpClient>(http_port_);
}

std::shared_ptr<grpc::Channel> GatewayProcessTest::GatewayChannel() {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway_port_),
                             grpc::InsecureChannelCredentials());
}

void GatewayProcessTest::MakeTree(orgs::v1::Area* d, orgs::v1::Area* s1, orgs::v1::Area* s2) {
  ASSERT_TRUE(Create("city-secret", orgs::v1::DISTRICT, "gw-d", "", d).ok());
  ASSERT_TRUE(Create("city-secret", orgs::v1::STREET, "s1", d->id(), s1).ok());
  ASSERT_TRUE(Create("city-secret", orgs::v1::STREET, "s2", d->id(), s2).ok());
}

std::unique_ptr<grpc::ClientContext> GatewayProcessTest::Context(const std::string& key) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!key.empty()) context->AddMetadata("x-api-key", key);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

bool GatewayProcessTest::WaitServing() {
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

grpc::Status GatewayProcessTest::Create(const std::string& key, orgs::v1::AreaKind kind,
                                        const std::string& code, const std::string& parent,
                                        orgs::v1::Area* out) {
  orgs::v1::CreateAreaRequest request;
  request.mutable_area()->set_kind(kind);
  request.mutable_area()->set_code(code);
  request.mutable_area()->set_display_name("Area " + code);
  request.mutable_area()->set_parent_id(parent);
  return stub_->CreateArea(Context(key).get(), request, out);
}

grpc::Status GatewayProcessTest::Get(std::unique_ptr<grpc::ClientContext> context,
                                     const std::string& id) {
  orgs::v1::GetAreaRequest request;
  request.set_id(id);
  orgs::v1::Area area;
  return stub_->GetArea(context.get(), request, &area);
}

}  // namespace grassroots::testing
