#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/transfer.grpc.pb.h"
#include "services/orgs/transfer_store.h"

namespace grassroots::orgs {

// gRPC edge of transfers of membership.
class TransferHandler final : public v1::TransferService::CallbackService {
 public:
  TransferHandler(const ServiceEnv& env, TransferStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* RequestTransfer(grpc::CallbackServerContext* context,
                                            const v1::RequestTransferRequest* request,
                                            v1::Transfer* response) override;
  grpc::ServerUnaryReactor* AcceptTransfer(grpc::CallbackServerContext* context,
                                           const v1::DecideTransferRequest* request,
                                           v1::Transfer* response) override;
  grpc::ServerUnaryReactor* RejectTransfer(grpc::CallbackServerContext* context,
                                           const v1::DecideTransferRequest* request,
                                           v1::Transfer* response) override;
  grpc::ServerUnaryReactor* CancelTransfer(grpc::CallbackServerContext* context,
                                           const v1::DecideTransferRequest* request,
                                           v1::Transfer* response) override;
  grpc::ServerUnaryReactor* GetTransfer(grpc::CallbackServerContext* context,
                                        const v1::GetTransferRequest* request,
                                        v1::Transfer* response) override;

 private:
  grpc::ServerUnaryReactor* Decide(grpc::CallbackServerContext* context,
                                   const v1::DecideTransferRequest* request, v1::Transfer* response,
                                   TransferStore::Decision decision);

  const ServiceEnv& env_;
  TransferStore& store_;
};

}  // namespace grassroots::orgs
