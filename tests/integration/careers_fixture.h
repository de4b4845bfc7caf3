// The careers service in one process against a real MariaDB, called over
// gRPC with principals of a chosen scope.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/status/grpc_status.h"
#include "grassroots/careers/v1/assessment.grpc.pb.h"
#include "grassroots/careers/v1/feed.grpc.pb.h"
#include "grassroots/careers/v1/pay.grpc.pb.h"
#include "grassroots/careers/v1/staffing.grpc.pb.h"
#include "grassroots/careers/v1/training.grpc.pb.h"
#include "grassroots/careers/v1/worker.grpc.pb.h"
#include "services/careers/assessment_store.h"
#include "tests/support/test_server.h"

namespace grassroots::careers::testing {

struct CareersSuite;

class CareersServiceTest : public ::testing::Test {
 protected:
  CareersServiceTest();
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // One RPC with a principal of this scope and id: the reply or the status.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Rpc(Stub& stub,
                               grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                            Response*),
                               const Request& request, const std::string& scope = "",
                               const std::string& actor = "tester") const {
    Response out;
    auto context = principals_.Context(scope, actor);
    grpc::Status status = (stub.*method)(context.get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // A worker of the community, a full-time staff member of grade 3 hired
  // on `hire_date`, with the ID number `id_number` (18 characters).
  absl::StatusOr<v1::Worker> NewWorker(const std::string& community, const std::string& id_number,
                                       const std::string& hire_date = "2020-03-01",
                                       const std::string& scope = "") const;
  // The rows of the database table (for audit checks).
  int CountRows(const std::string& sql) const;

  ::grassroots::testing::TestPrincipals principals_;
  std::unique_ptr<v1::WorkerService::Stub> workers_;
  std::unique_ptr<v1::StaffingService::Stub> staffing_;
  std::unique_ptr<v1::PayService::Stub> pay_;
  std::unique_ptr<v1::TrainingService::Stub> training_;
  std::unique_ptr<v1::ChangeFeedService::Stub> feed_;
  // Its grid is an address nothing listens on: what careers does while
  // grid is away. (Assessments with grid running: tests/e2e.)
  std::unique_ptr<v1::AssessmentService::Stub> assessments_;
  // The assessments' store, to record assessments whose case counts are given.
  AssessmentStore& assessment_store() const;

  static CareersSuite* suite_;
};

// A valid 18-character ID number made from `serial` (0 to 999).
std::string IdNumber(int serial);
std::string Reason(const absl::Status& status);

}  // namespace grassroots::careers::testing
