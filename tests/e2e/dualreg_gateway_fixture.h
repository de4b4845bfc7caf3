// orgs, volunteer, dualreg and the gateway as real processes, for
// end-to-end tests of dualreg on both edges: dualreg checks registrations
// and orders in this orgs and credits confirmed orders to this volunteer.
//
// Keys: "city-secret" (city-admin: orgs, volunteer and dualreg admin, whole
// city), "branch-secret" (branch-c1: dualreg.branch, scope dr-d/s1),
// "resident-secret" (resident-1: dualreg.resident, scope dr-d/s1) and
// "far-secret" (branch-s2: dualreg.branch, scope dr-d/s2).
#pragma once

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "grassroots/dualreg/v1/registration.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace grassroots::testing {

class DualregGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override;

  HttpResult PostJson(const std::string& method, const std::string& json, const std::string& key) {
    return http_->Post("/grassroots." + method, json, {{"x-api-key", key}});
  }
  // A context with the API key and a deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& key,
                                               absl::Duration deadline = absl::Seconds(10));
  std::shared_ptr<grpc::Channel> GatewayChannel();

  void StartVolunteer();
  void StopVolunteer() { EXPECT_EQ(volunteer_->Terminate(), 0); }

  // The tree dr-d/s1/c1 and dr-d/s2/c2 in orgs, a district, street and
  // community committee, an employer's organisation in c1 with `members`
  // members, each a volunteer of c1 in volunteer; the employer registered
  // with c1 and every member registered there with the skill "repair",
  // available every day from 08:00 to 22:00 local time.
  void Seed(int members);

  std::string c1_, c2_, employer_;
  std::string unit_id_;
  std::vector<std::string> member_ids_, volunteer_ids_;
  std::vector<dualreg::v1::MemberRegistration> registrations_;

 private:
  bool WaitServing();
  std::string CreateArea(int kind, const std::string& code, const std::string& parent);
  std::string CreateOrganisation(const std::string& json);

  int orgs_port_ = 0, volunteer_port_ = 0, dualreg_port_ = 0, gateway_port_ = 0, http_port_ = 0;
  db::DbOptions volunteer_db_;
  std::string keys_file_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<ChildProcess> orgs_, volunteer_, dualreg_, gateway_;
};

}  // namespace grassroots::testing
