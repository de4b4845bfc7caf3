#pragma once

#include "common/server/service_env.h"
#include "grassroots/careers/v1/assessment.grpc.pb.h"
#include "services/careers/assessment_store.h"
#include "services/careers/grid_case_figures.h"

namespace grassroots::careers {

// gRPC edge of the annual assessment: validates, asks grid for the case
// performance, weighs (assessment_rules) and records (AssessmentStore).
class AssessmentHandler final : public v1::AssessmentService::CallbackService {
 public:
  AssessmentHandler(const ServiceEnv& env, AssessmentStore& store, const GridCaseFigures& grid)
      : env_(env), store_(store), grid_(grid) {}

  grpc::ServerUnaryReactor* SetAssessmentWeights(grpc::CallbackServerContext* context,
                                                 const v1::SetAssessmentWeightsRequest* request,
                                                 v1::AssessmentWeights* response) override;
  grpc::ServerUnaryReactor* GetAssessmentWeights(grpc::CallbackServerContext* context,
                                                 const v1::GetAssessmentWeightsRequest* request,
                                                 v1::AssessmentWeights* response) override;
  grpc::ServerUnaryReactor* RecordAssessment(grpc::CallbackServerContext* context,
                                             const v1::RecordAssessmentRequest* request,
                                             v1::Assessment* response) override;
  grpc::ServerUnaryReactor* AssessArea(grpc::CallbackServerContext* context,
                                       const v1::AssessAreaRequest* request,
                                       v1::AssessAreaSummary* response) override;
  grpc::ServerUnaryReactor* GetAssessment(grpc::CallbackServerContext* context,
                                          const v1::GetAssessmentRequest* request,
                                          v1::Assessment* response) override;
  grpc::ServerUnaryReactor* ListAssessments(grpc::CallbackServerContext* context,
                                            const v1::ListAssessmentsRequest* request,
                                            v1::ListAssessmentsResponse* response) override;
  grpc::ServerUnaryReactor* ListAssessmentProposals(
      grpc::CallbackServerContext* context, const v1::ListAssessmentProposalsRequest* request,
      v1::ListAssessmentProposalsResponse* response) override;

 private:
  const ServiceEnv& env_;
  AssessmentStore& store_;
  const GridCaseFigures& grid_;
};

}  // namespace grassroots::careers
