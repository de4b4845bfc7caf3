#pragma once

#include "common/server/service_env.h"
#include "grassroots/dualreg/v1/evaluation.grpc.pb.h"
#include "services/dualreg/business_metrics.h"
#include "services/dualreg/evaluation_store.h"

namespace grassroots::dualreg {

// gRPC edge of the community's yearly evaluations of registered members.
class EvaluationHandler final : public v1::MemberEvaluationService::CallbackService {
 public:
  EvaluationHandler(const ServiceEnv& env, EvaluationStore& store, BusinessMetrics& metrics)
      : env_(env), store_(store), metrics_(metrics) {}

  grpc::ServerUnaryReactor* RecordMemberEvaluation(grpc::CallbackServerContext* context,
                                                   const v1::RecordMemberEvaluationRequest* request,
                                                   v1::MemberEvaluation* response) override;
  grpc::ServerUnaryReactor* ListMemberEvaluations(
      grpc::CallbackServerContext* context, const v1::ListMemberEvaluationsRequest* request,
      v1::ListMemberEvaluationsResponse* response) override;
  grpc::ServerUnaryReactor* ListUnevaluatedMembers(
      grpc::CallbackServerContext* context, const v1::ListUnevaluatedMembersRequest* request,
      v1::ListUnevaluatedMembersResponse* response) override;

 private:
  // The year in UTC+8 would differ for a few hours at New Year; the rule
  // only bounds the year from above, so UTC's is close enough.
  int ThisYear() const;

  const ServiceEnv& env_;
  EvaluationStore& store_;
  BusinessMetrics& metrics_;
};

}  // namespace grassroots::dualreg
