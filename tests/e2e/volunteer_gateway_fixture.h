// volunteer, careers (the source of community workers' working hours) and
// the gateway as real processes, for end-to-end tests of volunteer on both
// edges (gRPC and Connect JSON).
//
// Keys: "city-secret" (city-admin: volunteer.admin and careers.admin, whole city),
// "street-secret" (street-s1: volunteer.organiser, scope ve-d/s1) and
// "viewer-secret" (viewer: volunteer.viewer, whole city).
#pragma once

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/db/connection_pool.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace grassroots::testing {

// A JSON answer as its message (a failure when it does not parse).
template <typename Message>
Message Parse(const std::string& json) {
  Message message;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &message).ok()) << json;
  return message;
}

class VolunteerGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override;

  HttpResult PostJson(const std::string& method, const std::string& json, const std::string& key) {
    return http_->Post("/grassroots.volunteer.v1." + method, json, {{"x-api-key", key}});
  }
  HttpResult PostCareersJson(const std::string& method, const std::string& json,
                             const std::string& key) {
    return http_->Post("/grassroots.careers.v1." + method, json, {{"x-api-key", key}});
  }
  // A context with the API key and a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& key);
  // The gateway's gRPC edge.
  std::shared_ptr<grpc::Channel> GatewayChannel();
  // careers stopped (a clean exit expected), and started again on its schema.
  void StopCareers();
  void StartCareers();
  // careers answers through the gateway (one try, 500 ms).
  bool CareersServing();

 private:
  bool WaitServing();
  int volunteer_port_ = 0, careers_port_ = 0, gateway_port_ = 0, http_port_ = 0;
  std::string keys_file_;
  db::DbOptions careers_db_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<ChildProcess> careers_, volunteer_, gateway_;
};

}  // namespace grassroots::testing
