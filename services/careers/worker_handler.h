#pragma once

#include "common/server/service_env.h"
#include "grassroots/careers/v1/worker.grpc.pb.h"
#include "services/careers/worker_store.h"

namespace grassroots::careers {

// gRPC edge of workers and their history.
class WorkerHandler final : public v1::WorkerService::CallbackService {
 public:
  WorkerHandler(const ServiceEnv& env, WorkerStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* CreateWorker(grpc::CallbackServerContext* context,
                                         const v1::CreateWorkerRequest* request,
                                         v1::Worker* response) override;
  grpc::ServerUnaryReactor* GetWorker(grpc::CallbackServerContext* context,
                                      const v1::GetWorkerRequest* request,
                                      v1::Worker* response) override;
  grpc::ServerUnaryReactor* GetWorkingHours(grpc::CallbackServerContext* context,
                                            const v1::GetWorkerRequest* request,
                                            v1::WorkerWorkingHours* response) override;
  grpc::ServerUnaryReactor* ListWorkers(grpc::CallbackServerContext* context,
                                        const v1::ListWorkersRequest* request,
                                        v1::ListWorkersResponse* response) override;
  grpc::ServerUnaryReactor* FindWorkerByIdNumber(grpc::CallbackServerContext* context,
                                                 const v1::FindWorkerByIdNumberRequest* request,
                                                 v1::Worker* response) override;
  grpc::ServerUnaryReactor* RevealWorkerIdNumber(grpc::CallbackServerContext* context,
                                                 const v1::RevealWorkerIdNumberRequest* request,
                                                 v1::WorkerIdNumber* response) override;
  grpc::ServerUnaryReactor* ChangeWorker(grpc::CallbackServerContext* context,
                                         const v1::ChangeWorkerRequest* request,
                                         v1::Worker* response) override;
  grpc::ServerUnaryReactor* ListWorkerHistory(grpc::CallbackServerContext* context,
                                              const v1::ListWorkerHistoryRequest* request,
                                              v1::ListWorkerHistoryResponse* response) override;

 private:
  const ServiceEnv& env_;
  WorkerStore& store_;
};

}  // namespace grassroots::careers
