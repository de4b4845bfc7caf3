#include "services/grid/case_assignment_handler.h"

#include "common/server/call.h"
#include "common/server/request_checks.h"

namespace grassroots::grid {

grpc::ServerUnaryReactor* CaseAssignmentHandler::AssignCase(grpc::CallbackServerContext* context,
                                                            const v1::AssignCaseRequest* request,
                                                            v1::CaseAssignment* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireId("case_id", request->case_id()), RequireId("worker_id", request->worker_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(assignments_.Assign(call.principal.scope_path(), call.Write(*env_.clock),
                                      request->case_id(), request->worker_id()),
                  response);
  });
}

grpc::ServerUnaryReactor* CaseAssignmentHandler::GetWorkerQualification(
    grpc::CallbackServerContext* context, const v1::GetWorkerQualificationRequest* request,
    v1::WorkerQualification* response) {
  return HandleUnary(context, env_, [this, request, response](const Call&) -> absl::Status {
    if (auto s = RequireId("worker_id", request->worker_id()); !s.ok()) return s;
    return Assign(qualifications_.Find(request->worker_id()), response);
  });
}

}  // namespace grassroots::grid
