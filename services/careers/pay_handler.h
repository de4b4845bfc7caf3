#pragma once

#include "common/server/service_env.h"
#include "grassroots/careers/v1/pay.grpc.pb.h"
#include "services/careers/pay_store.h"

namespace grassroots::careers {

// gRPC edge of pay policies, wages, tables, a worker's pay and revisions.
class PayHandler final : public v1::PayService::CallbackService {
 public:
  PayHandler(const ServiceEnv& env, PayStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* SetPayPolicy(grpc::CallbackServerContext* context,
                                         const v1::SetPayPolicyRequest* request,
                                         v1::PayPolicy* response) override;
  grpc::ServerUnaryReactor* GetPayPolicy(grpc::CallbackServerContext* context,
                                         const v1::GetPayPolicyRequest* request,
                                         v1::PayPolicy* response) override;
  grpc::ServerUnaryReactor* RecordAverageWage(grpc::CallbackServerContext* context,
                                              const v1::RecordAverageWageRequest* request,
                                              v1::AverageWage* response) override;
  grpc::ServerUnaryReactor* SetPayTable(grpc::CallbackServerContext* context,
                                        const v1::SetPayTableRequest* request,
                                        v1::PayTable* response) override;
  grpc::ServerUnaryReactor* GetPayTable(grpc::CallbackServerContext* context,
                                        const v1::GetPayTableRequest* request,
                                        v1::PayTable* response) override;
  grpc::ServerUnaryReactor* GetWorkerPay(grpc::CallbackServerContext* context,
                                         const v1::GetWorkerPayRequest* request,
                                         v1::WorkerPay* response) override;
  grpc::ServerUnaryReactor* CreateSalaryRevision(grpc::CallbackServerContext* context,
                                                 const v1::CreateSalaryRevisionRequest* request,
                                                 v1::SalaryRevision* response) override;
  grpc::ServerUnaryReactor* ListSalaryRevisions(grpc::CallbackServerContext* context,
                                                const v1::ListSalaryRevisionsRequest* request,
                                                v1::ListSalaryRevisionsResponse* response) override;

 private:
  const ServiceEnv& env_;
  PayStore& store_;
};

}  // namespace grassroots::careers
