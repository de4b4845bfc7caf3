#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/external_case.grpc.pb.h"
#include "services/grid/external_ticket_store.h"

namespace grassroots::grid {

// gRPC edge of other systems' tickets: their cases by ticket id, and the
// change feed filtered to one system's cases.
class ExternalCaseHandler final : public v1::ExternalCaseService::CallbackService {
 public:
  ExternalCaseHandler(const ServiceEnv& env, ExternalTicketStore& tickets)
      : env_(env), tickets_(tickets) {}

  grpc::ServerUnaryReactor* GetCaseByTicket(grpc::CallbackServerContext* context,
                                            const v1::GetCaseByTicketRequest* request,
                                            v1::Case* response) override;
  grpc::ServerUnaryReactor* ListTicketChanges(grpc::CallbackServerContext* context,
                                              const v1::ListTicketChangesRequest* request,
                                              v1::ListTicketChangesResponse* response) override;

 private:
  const ServiceEnv& env_;
  ExternalTicketStore& tickets_;
};

}  // namespace grassroots::grid
