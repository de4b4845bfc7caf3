// The gateway and orgs as real processes, for end-to-end tests on both edges
// (gRPC and Connect JSON): one orgs process on a fresh schema, one gateway in
// front of it with three API keys and an HS256 JWT secret.
//
// Keys: "city-secret" (city-admin, orgs.admin, whole city), "street-secret"
// (street-s1, orgs.admin, scope gw-d/s1) and "viewer-secret" (viewer,
// orgs.viewer, whole city).
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "services/gateway/jwt_signer.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace grassroots::testing {

inline constexpr char kJwtSecret[] = "e2e-jwt-secret-0123456789abcdef0123456789";

// Claims of an app user with these roles and scope, valid five minutes.
gateway::JwtClaims AppClaims(const std::string& jurisdiction, std::vector<std::string> roles);
// "Bearer <token>" for the claims, signed with kJwtSecret.
std::string Bearer(const gateway::JwtClaims& claims);

class GatewayProcessTest : public ::testing::Test {
 protected:
  void SetUp() override;

  void StartGateway(const std::vector<std::string>& extra);
  // Stops orgs and starts it again on its port and schema, with `extra` flags.
  void RestartOrgs(const std::vector<std::string>& extra);
  HttpResult PostJson(const std::string& path, const std::string& json,
                      std::map<std::string, std::string> headers) {
    return http_->Post(path, json, headers);
  }
  // A three-area tree: district gw-d with streets s1 and s2.
  void MakeTree(orgs::v1::Area* d, orgs::v1::Area* s1, orgs::v1::Area* s2);
  // A context with the API key (none when empty) and a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& key);
  // A channel to the gateway's gRPC edge.
  std::shared_ptr<grpc::Channel> GatewayChannel();
  bool WaitServing();
  grpc::Status Create(const std::string& key, orgs::v1::AreaKind kind, const std::string& code,
                      const std::string& parent, orgs::v1::Area* out);
  grpc::Status Get(std::unique_ptr<grpc::ClientContext> context, const std::string& id);

  int orgs_port_ = 0, gateway_port_ = 0, http_port_ = 0;
  std::unique_ptr<HttpClient> http_;
  std::string keys_file_;
  std::vector<std::string> orgs_argv_;
  std::unique_ptr<ChildProcess> orgs_, gateway_;
  std::unique_ptr<orgs::v1::AreaService::Stub> stub_;
};

}  // namespace grassroots::testing
