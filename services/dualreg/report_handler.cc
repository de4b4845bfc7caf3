#include "services/dualreg/report_handler.h"

#include "common/auth/scope.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"

namespace grassroots::dualreg {

grpc::ServerUnaryReactor* ReportHandler::CreateEmployerReport(
    grpc::CallbackServerContext* context, const v1::CreateEmployerReportRequest* request,
    v1::EmployerReport* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const absl::CivilDay today = absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone());
    auto period = ValidateReportRequest(request->report(), today);
    if (!period.ok()) return period.status();
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    auto made =
        store_.Create(call.principal.scope_path(), write, request->report().unit_id(), *period);
    if (made.ok() && MadeBy(made->create_time(), write)) {
      metrics_.EmployerReportDelivered(made->community_path());
    }
    return Assign(std::move(made), response);
  });
}

grpc::ServerUnaryReactor* ReportHandler::GetEmployerReport(
    grpc::CallbackServerContext* context, const v1::GetEmployerReportRequest* request,
    v1::EmployerReport* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* ReportHandler::AcknowledgeEmployerReport(
    grpc::CallbackServerContext* context, const v1::AcknowledgeEmployerReportRequest* request,
    v1::EmployerReport* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    // An employer's caller is known by its principal id: orgs' organisation id.
    const std::string only_organisation =
        HasRole(call.principal, "dualreg.admin") ? "" : call.principal.id();
    return Assign(store_.Acknowledge(call.principal.scope_path(), call.Write(*env_.clock),
                                     request->id(), only_organisation),
                  response);
  });
}

}  // namespace grassroots::dualreg
