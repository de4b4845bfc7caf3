#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/evaluation.grpc.pb.h"
#include "services/orgs/evaluation_store.h"

namespace grassroots::orgs {

// gRPC edge of the yearly evaluation of community party organisations.
class EvaluationHandler final : public v1::EvaluationService::CallbackService {
 public:
  EvaluationHandler(const ServiceEnv& env, EvaluationStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* OpenEvaluation(grpc::CallbackServerContext* context,
                                           const v1::OpenEvaluationRequest* request,
                                           v1::Evaluation* response) override;
  grpc::ServerUnaryReactor* RecordSelfAssessment(grpc::CallbackServerContext* context,
                                                 const v1::RecordSelfAssessmentRequest* request,
                                                 v1::Evaluation* response) override;
  grpc::ServerUnaryReactor* RecordResidentsRating(grpc::CallbackServerContext* context,
                                                  const v1::RecordResidentsRatingRequest* request,
                                                  v1::Evaluation* response) override;
  grpc::ServerUnaryReactor* RecordHigherReview(grpc::CallbackServerContext* context,
                                               const v1::RecordHigherReviewRequest* request,
                                               v1::Evaluation* response) override;
  grpc::ServerUnaryReactor* GetEvaluation(grpc::CallbackServerContext* context,
                                          const v1::GetEvaluationRequest* request,
                                          v1::Evaluation* response) override;
  grpc::ServerUnaryReactor* ListEvaluations(grpc::CallbackServerContext* context,
                                            const v1::ListEvaluationsRequest* request,
                                            v1::ListEvaluationsResponse* response) override;

 private:
  const ServiceEnv& env_;
  EvaluationStore& store_;
};

}  // namespace grassroots::orgs
