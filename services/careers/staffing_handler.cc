#include "services/careers/staffing_handler.h"

#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/careers/quota_rules.h"
#include "services/careers/worker_rules.h"

namespace grassroots::careers {

grpc::ServerUnaryReactor* StaffingHandler::SetStaffingRule(
    grpc::CallbackServerContext* context, const v1::SetStaffingRuleRequest* request,
    v1::StaffingRule* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateStaffingRule(request->rule()); !s.ok()) return s;
    return Assign(
        store_.SetRule(call.principal.scope_path(), call.Write(*env_.clock), request->rule()),
        response);
  });
}

grpc::ServerUnaryReactor* StaffingHandler::SetCommunityHouseholds(
    grpc::CallbackServerContext* context, const v1::SetCommunityHouseholdsRequest* request,
    v1::CommunityHouseholds* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateHouseholds(request->households()); !s.ok()) return s;
    return Assign(store_.SetHouseholds(call.principal.scope_path(), call.Write(*env_.clock),
                                       request->households()),
                  response);
  });
}

grpc::ServerUnaryReactor* StaffingHandler::GetStaffingReport(
    grpc::CallbackServerContext* context, const v1::GetStaffingReportRequest* request,
    v1::StaffingReport* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidatePath("path", request->path(), true); !s.ok()) return s;
    return Assign(store_.Report(call.principal.scope_path(), request->path()), response);
  });
}

}  // namespace grassroots::careers
