#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/case_assignment.grpc.pb.h"
#include "services/grid/case_assignment_store.h"
#include "services/grid/qualification_store.h"

namespace grassroots::grid {

// gRPC edge of case assignment to named workers.
class CaseAssignmentHandler final : public v1::CaseAssignmentService::CallbackService {
 public:
  CaseAssignmentHandler(const ServiceEnv& env, CaseAssignmentStore& assignments,
                        QualificationStore& qualifications)
      : env_(env), assignments_(assignments), qualifications_(qualifications) {}

  grpc::ServerUnaryReactor* AssignCase(grpc::CallbackServerContext* context,
                                       const v1::AssignCaseRequest* request,
                                       v1::CaseAssignment* response) override;
  grpc::ServerUnaryReactor* GetWorkerQualification(grpc::CallbackServerContext* context,
                                                   const v1::GetWorkerQualificationRequest* request,
                                                   v1::WorkerQualification* response) override;

 private:
  const ServiceEnv& env_;
  CaseAssignmentStore& assignments_;
  QualificationStore& qualifications_;
};

}  // namespace grassroots::grid
