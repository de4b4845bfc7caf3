// orgs, grid and the gateway as real processes, for end-to-end tests of
// grid on both edges (gRPC and Connect JSON): grid asks this orgs for the
// jurisdiction tree, the gateway routes both packages.
//
// Keys: "city-secret" (city-admin: orgs.admin and grid.admin, whole city),
// "street-secret" (street-s1: the same roles, scope ge-d/s1) and
// "viewer-secret" (viewer: orgs.viewer and grid.viewer, whole city), and
// the case workflow's separate roles, whole city: "reporter-secret"
// (worker-17, grid.reporter), "supervisor-secret" (supervision,
// grid.supervisor), "dispatcher-secret" (command, grid.dispatcher),
// "handler-secret" (bureau, grid.handler); and "worker-secret"
// (careers:e2e-wk: grid.worker, scope ge-d/s1).
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/area.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace grassroots::testing {

// The command line of one of the suite's services against `db`.
std::vector<std::string> ServiceArgs(const std::string& binary, int port, const db::DbOptions& db,
                                     const std::string& data_key);

class GridGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override;

  HttpResult PostJson(const std::string& path, const std::string& json, const std::string& key) {
    return http_->Post(path, json, {{"x-api-key", key}});
  }
  // A context with the API key and a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& key);
  // The gateway's gRPC edge.
  std::shared_ptr<grpc::Channel> GatewayChannel();
  // An area made in orgs through the gateway with the city key; its id.
  std::string CreateArea(orgs::v1::AreaKind kind, const std::string& code,
                         const std::string& parent_id);
  // A grid "g01" in the community made in orgs, through the gateway with the city key; its id.
  std::string CreateGrid(const std::string& community_id);

  // Set by a subclass before SetUp: more arguments for grid, routes for
  // the gateway (",<package>=<address>...") and lines for its keys file.
  std::vector<std::string> extra_grid_args_;
  std::string extra_routes_;
  std::string extra_keys_;

  int orgs_port_ = 0, grid_port_ = 0, gateway_port_ = 0, http_port_ = 0;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<ChildProcess> orgs_, grid_, gateway_;

 private:
  bool WaitServing();
  std::string keys_file_;
};

}  // namespace grassroots::testing
