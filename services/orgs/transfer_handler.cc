#include "services/orgs/transfer_handler.h"

#include "absl/time/time.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/text/utf8.h"

namespace grassroots::orgs {

grpc::ServerUnaryReactor* TransferHandler::RequestTransfer(
    grpc::CallbackServerContext* context, const v1::RequestTransferRequest* request,
    v1::Transfer* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("member_id", request->member_id()); !s.ok()) return s;
    if (auto s = RequireId("to_organisation_id", request->to_organisation_id()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    if (request->reason().empty() || request->reason().size() > 500 ||
        !IsPrintableUtf8(request->reason())) {
      return InvalidField("reason", "REASON_INVALID",
                          "say why the member moves, in at most 500 bytes of text");
    }
    const absl::CivilMonth current(absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone()));
    return Assign(
        store_.Request(call.principal.scope_path(), call.Write(*env_.clock, request->request_id()),
                       request->member_id(), request->to_organisation_id(), request->reason(),
                       current),
        response);
  });
}

grpc::ServerUnaryReactor* TransferHandler::Decide(grpc::CallbackServerContext* context,
                                                  const v1::DecideTransferRequest* request,
                                                  v1::Transfer* response,
                                                  TransferStore::Decision decision) {
  return HandleUnary(
      context, env_, [this, request, response, decision](const Call& call) -> absl::Status {
        if (auto s = RequireId("id", request->id()); !s.ok()) return s;
        return Assign(store_.Decide(call.principal.scope_path(), call.Write(*env_.clock),
                                    request->id(), request->etag(), decision),
                      response);
      });
}

grpc::ServerUnaryReactor* TransferHandler::AcceptTransfer(grpc::CallbackServerContext* context,
                                                          const v1::DecideTransferRequest* request,
                                                          v1::Transfer* response) {
  return Decide(context, request, response, TransferStore::Decision::kAccept);
}

grpc::ServerUnaryReactor* TransferHandler::RejectTransfer(grpc::CallbackServerContext* context,
                                                          const v1::DecideTransferRequest* request,
                                                          v1::Transfer* response) {
  return Decide(context, request, response, TransferStore::Decision::kReject);
}

grpc::ServerUnaryReactor* TransferHandler::CancelTransfer(grpc::CallbackServerContext* context,
                                                          const v1::DecideTransferRequest* request,
                                                          v1::Transfer* response) {
  return Decide(context, request, response, TransferStore::Decision::kCancel);
}

grpc::ServerUnaryReactor* TransferHandler::GetTransfer(grpc::CallbackServerContext* context,
                                                       const v1::GetTransferRequest* request,
                                                       v1::Transfer* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

}  // namespace grassroots::orgs
