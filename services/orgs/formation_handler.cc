#include "services/orgs/formation_handler.h"

#include "common/server/call.h"
#include "common/server/request_checks.h"

namespace grassroots::orgs {

grpc::ServerUnaryReactor* FormationHandler::GetFormationThresholds(
    grpc::CallbackServerContext* context, const v1::GetFormationThresholdsRequest* request,
    v1::RegionThresholds* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("area_id", request->area_id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->area_id()), response);
  });
}

grpc::ServerUnaryReactor* FormationHandler::SetFormationThresholds(
    grpc::CallbackServerContext* context, const v1::SetFormationThresholdsRequest* request,
    v1::RegionThresholds* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("area_id", request->area_id()); !s.ok()) return s;
    return Assign(store_.Set(call.principal.scope_path(), call.Write(*env_.clock),
                             request->area_id(), request->thresholds(), request->etag()),
                  response);
  });
}

}  // namespace grassroots::orgs
