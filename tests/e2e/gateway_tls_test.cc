// The gateway's two edges over TLS, and mutual TLS for system callers: the
// certificates come from a CA the test makes with openssl.
#include <cppconn/driver.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/sha256.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/test_server.h"

namespace grassroots {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs a shell command; its stdout.
std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

class GatewayTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(absl::StrCat(::testing::TempDir(), "/gateway-tls-", getpid()));
    // A CA, a server certificate for 127.0.0.1, a client certificate from the
    // CA and a look-alike client certificate from no CA at all.
    const std::string script = absl::StrCat(
        "set -e; mkdir -p ", *dir_, "; cd ", *dir_, "\n",
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 "
        "-subj /CN=grassroots-test-ca 2>/dev/null\n",
        "issue() { openssl req -newkey rsa:2048 -nodes -keyout $1.key -out $1.csr -subj /CN=$2 "
        "2>/dev/null; printf \"$3\" > $1.ext; openssl x509 -req -in $1.csr -CA ca.pem -CAkey "
        "ca.key "
        "-CAcreateserial -out $1.pem -days 1 -extfile $1.ext 2>/dev/null; }\n",
        "issue server localhost 'subjectAltName=IP:127.0.0.1,DNS:localhost'\n",
        "issue client city-system 'extendedKeyUsage=clientAuth'\n",
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.pem -days 1 "
        "-subj /CN=city-system 2>/dev/null\n");
    ASSERT_EQ(std::system(("bash -c '" + EscapeQuotes(script) + "'").c_str()), 0);
  }
  static std::string EscapeQuotes(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out;
  }

  void SetUp() override {
    get_driver_instance();
    const db::DbOptions db = testing::FreshSchema("gateway_tls");
    const int orgs_port = testing::PickFreePort();
    grpc_port_ = testing::PickFreePort();
    http_port_ = testing::PickFreePort();
    const std::string keys = absl::StrCat(*dir_, "/api-keys");
    std::ofstream(keys) << "ops " << Sha256Hex("ops-secret") << " orgs.admin -\n"
                        << "city-system x509:city-system orgs.admin -\n";
    orgs_ = std::make_unique<testing::ChildProcess>(std::vector<std::string>{
        GRASSROOTS_ORGS_BINARY, absl::StrCat("--grpc-address=127.0.0.1:", orgs_port),
        "--metrics-address=127.0.0.1:0",
        absl::StrCat("--principal-key=", testing::kTestPrincipalKey),
        absl::StrCat("--db-port=", db.port), absl::StrCat("--db-user=", db.user),
        absl::StrCat("--db-schema=", db.schema),
        absl::StrCat("--personal-data-key=", testing::kTestPersonalDataKey), "--log-level=warn"});
    gateway_ = std::make_unique<testing::ChildProcess>(std::vector<std::string>{
        GRASSROOTS_GATEWAY_BINARY, absl::StrCat("--grpc-address=127.0.0.1:", grpc_port_),
        absl::StrCat("--http-address=127.0.0.1:", http_port_), "--metrics-address=127.0.0.1:0",
        absl::StrCat("--principal-key=", testing::kTestPrincipalKey),
        absl::StrCat("--routes=grassroots.orgs.v1=127.0.0.1:", orgs_port),
        absl::StrCat("--api-keys-file=", keys),
        absl::StrCat("--tls-cert-file=", *dir_, "/server.pem"),
        absl::StrCat("--tls-key-file=", *dir_, "/server.key"),
        absl::StrCat("--tls-client-ca-file=", *dir_, "/ca.pem"), "--log-level=warn"});
  }

  std::unique_ptr<orgs::v1::AreaService::Stub> Stub(const std::string& client) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ReadFile(*dir_ + "/ca.pem");
    if (!client.empty()) {
      options.pem_cert_chain = ReadFile(*dir_ + "/" + client + ".pem");
      options.pem_private_key = ReadFile(*dir_ + "/" + client + ".key");
    }
    return orgs::v1::AreaService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", grpc_port_), grpc::SslCredentials(options)));
  }

  grpc::Status List(orgs::v1::AreaService::Stub& stub, const std::string& key, bool wait = false) {
    grpc::ClientContext context;
    if (!key.empty()) context.AddMetadata("x-api-key", key);
    context.set_wait_for_ready(wait);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(wait ? 15 : 5));
    orgs::v1::ListAreasRequest request;
    orgs::v1::ListAreasResponse response;
    return stub.ListAreas(&context, request, &response);
  }

  // curl's HTTP status for a JSON call over HTTPS ("000" when no answer).
  std::string Curl(const std::string& extra) {
    return Shell(absl::StrCat(
        "curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert ", *dir_, "/ca.pem ", extra,
        " -H 'content-type: application/json' -d '{}' ", "https://127.0.0.1:", http_port_,
        "/grassroots.orgs.v1.AreaService/ListAreas"));
  }

  static std::string* dir_;
  int grpc_port_ = 0, http_port_ = 0;
  std::unique_ptr<testing::ChildProcess> orgs_, gateway_;
};

std::string* GatewayTlsTest::dir_ = nullptr;

TEST_F(GatewayTlsTest, BothEdgesServeTlsAndMapClientCertificatesToPrincipals) {
  auto with_key = Stub("");
  // orgs answers UNAVAILABLE until it is ready (migrations, caches): retry, as clients do.
  grpc::Status first = List(*with_key, "ops-secret", /*wait=*/true);
  for (int i = 0; i < 150 && first.error_code() == grpc::StatusCode::UNAVAILABLE; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    first = List(*with_key, "ops-secret", /*wait=*/true);
  }
  ASSERT_TRUE(first.ok()) << first.error_message();
  // No key and no certificate: not authenticated.
  EXPECT_EQ(List(*with_key, "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // A certificate from the CA stands for the system named in the keys file.
  auto with_certificate = Stub("client");
  EXPECT_TRUE(List(*with_certificate, "").ok());
  // The same name on a certificate from no known CA gets no connection.
  auto rogue = Stub("rogue");
  EXPECT_EQ(List(*rogue, "").error_code(), grpc::StatusCode::UNAVAILABLE);
  // Plaintext to a TLS port gets nothing.
  auto plain = orgs::v1::AreaService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", grpc_port_), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(List(*plain, "ops-secret").error_code(), grpc::StatusCode::UNAVAILABLE);

  // The JSON edge, the same way.
  EXPECT_EQ(Curl("-H 'x-api-key: ops-secret'"), "200");
  EXPECT_EQ(Curl(""), "401");
  EXPECT_EQ(Curl(absl::StrCat("--cert ", *dir_, "/client.pem --key ", *dir_, "/client.key")),
            "200");
  EXPECT_NE(Curl(absl::StrCat("--cert ", *dir_, "/rogue.pem --key ", *dir_, "/rogue.key")), "200");
  EXPECT_EQ(Shell(absl::StrCat("curl -s -o /dev/null -w '%{http_code}' --max-time 5 "
                               "http://127.0.0.1:",
                               http_port_, "/healthz")),
            "000");
}

}  // namespace
}  // namespace grassroots
