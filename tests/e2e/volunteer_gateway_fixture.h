// volunteer and the gateway as real processes, for end-to-end tests of
// volunteer on both edges (gRPC and Connect JSON).
//
// Keys: "city-secret" (city-admin: volunteer.admin, whole city),
// "street-secret" (street-s1: volunteer.organiser, scope ve-d/s1) and
// "viewer-secret" (viewer: volunteer.viewer, whole city).
#pragma once

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

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
  // A context with the API key and a 10 s deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& key);
  // The gateway's gRPC edge.
  std::shared_ptr<grpc::Channel> GatewayChannel();

 private:
  bool WaitServing();
  int volunteer_port_ = 0, gateway_port_ = 0, http_port_ = 0;
  std::string keys_file_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<ChildProcess> volunteer_, gateway_;
};

}  // namespace grassroots::testing
