#pragma once

#include "common/server/service_env.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "services/volunteer/invariant_store.h"
#include "services/volunteer/ledger_store.h"

namespace grassroots::volunteer {

// gRPC edge of the points ledger.
class LedgerHandler final : public v1::LedgerService::CallbackService {
 public:
  LedgerHandler(const ServiceEnv& env, LedgerStore& store, InvariantStore& invariants)
      : env_(env), store_(store), invariants_(invariants) {}

  grpc::ServerUnaryReactor* OpenAccount(grpc::CallbackServerContext* context,
                                        const v1::OpenAccountRequest* request,
                                        v1::Account* response) override;
  grpc::ServerUnaryReactor* GetAccount(grpc::CallbackServerContext* context,
                                       const v1::GetAccountRequest* request,
                                       v1::Account* response) override;
  grpc::ServerUnaryReactor* CreateTransfer(grpc::CallbackServerContext* context,
                                           const v1::CreateTransferRequest* request,
                                           v1::Transfer* response) override;
  grpc::ServerUnaryReactor* CreateLinkedTransfers(
      grpc::CallbackServerContext* context, const v1::CreateLinkedTransfersRequest* request,
      v1::CreateLinkedTransfersResponse* response) override;
  grpc::ServerUnaryReactor* ReverseTransfer(grpc::CallbackServerContext* context,
                                            const v1::ReverseTransferRequest* request,
                                            v1::Transfer* response) override;
  grpc::ServerUnaryReactor* GetTransfer(grpc::CallbackServerContext* context,
                                        const v1::GetTransferRequest* request,
                                        v1::Transfer* response) override;
  grpc::ServerUnaryReactor* ListAccountEntries(grpc::CallbackServerContext* context,
                                               const v1::ListAccountEntriesRequest* request,
                                               v1::ListAccountEntriesResponse* response) override;
  grpc::ServerUnaryReactor* GetStatement(grpc::CallbackServerContext* context,
                                         const v1::GetStatementRequest* request,
                                         v1::Statement* response) override;
  grpc::ServerUnaryReactor* CheckInvariants(grpc::CallbackServerContext* context,
                                            const v1::CheckInvariantsRequest* request,
                                            v1::CheckInvariantsResponse* response) override;

 private:
  const ServiceEnv& env_;
  LedgerStore& store_;
  InvariantStore& invariants_;
};

}  // namespace grassroots::volunteer
