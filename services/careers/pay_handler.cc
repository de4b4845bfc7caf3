#include "services/careers/pay_handler.h"

#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/careers/pay_rules.h"
#include "services/careers/worker_rules.h"

namespace grassroots::careers {
grpc::ServerUnaryReactor* PayHandler::SetPayPolicy(grpc::CallbackServerContext* context,
                                                   const v1::SetPayPolicyRequest* request,
                                                   v1::PayPolicy* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidatePayPolicy(request->policy()); !s.ok()) return s;
    return Assign(
        store_.SetPolicy(call.principal.scope_path(), call.Write(*env_.clock), request->policy()),
        response);
  });
}

grpc::ServerUnaryReactor* PayHandler::GetPayPolicy(grpc::CallbackServerContext* context,
                                                   const v1::GetPayPolicyRequest* request,
                                                   v1::PayPolicy* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidatePath("path", request->path(), true); !s.ok()) return s;
    return Assign(store_.GetPolicy(call.principal.scope_path(), request->path()), response);
  });
}

grpc::ServerUnaryReactor* PayHandler::RecordAverageWage(grpc::CallbackServerContext* context,
                                                        const v1::RecordAverageWageRequest* request,
                                                        v1::AverageWage* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateAverageWage(request->wage()); !s.ok()) return s;
    return Assign(
        store_.RecordWage(call.principal.scope_path(), call.Write(*env_.clock), request->wage()),
        response);
  });
}

grpc::ServerUnaryReactor* PayHandler::SetPayTable(grpc::CallbackServerContext* context,
                                                  const v1::SetPayTableRequest* request,
                                                  v1::PayTable* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    // The cells are checked against the region's policy in the store.
    return Assign(
        store_.SetTable(call.principal.scope_path(), call.Write(*env_.clock), request->table()),
        response);
  });
}

grpc::ServerUnaryReactor* PayHandler::GetPayTable(grpc::CallbackServerContext* context,
                                                  const v1::GetPayTableRequest* request,
                                                  v1::PayTable* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidatePath("path", request->path(), true), ValidateYear("year", request->year())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.GetTable(call.principal.scope_path(), request->path(), request->year()),
                  response);
  });
}

grpc::ServerUnaryReactor* PayHandler::GetWorkerPay(grpc::CallbackServerContext* context,
                                                   const v1::GetWorkerPayRequest* request,
                                                   v1::WorkerPay* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireId("worker_id", request->worker_id()), ValidateYear("year", request->year())}) {
      if (!s.ok()) return s;
    }
    return Assign(
        store_.WorkerPay(call.principal.scope_path(), request->worker_id(), request->year()),
        response);
  });
}

grpc::ServerUnaryReactor* PayHandler::CreateSalaryRevision(
    grpc::CallbackServerContext* context, const v1::CreateSalaryRevisionRequest* request,
    v1::SalaryRevision* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidateSalaryRevision(request->revision()), ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(
        store_.CreateRevision(call.principal.scope_path(),
                              call.Write(*env_.clock, request->request_id()), request->revision()),
        response);
  });
}

grpc::ServerUnaryReactor* PayHandler::ListSalaryRevisions(
    grpc::CallbackServerContext* context, const v1::ListSalaryRevisionsRequest* request,
    v1::ListSalaryRevisionsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("worker_id", request->worker_id()); !s.ok()) return s;
    auto revisions = store_.ListRevisions(call.principal.scope_path(), request->worker_id());
    if (!revisions.ok()) return revisions.status();
    for (v1::SalaryRevision& r : *revisions) *response->add_revisions() = std::move(r);
    return absl::OkStatus();
  });
}

}  // namespace grassroots::careers
