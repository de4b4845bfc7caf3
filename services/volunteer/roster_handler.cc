#include "services/volunteer/roster_handler.h"

#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/volunteer/working_hours_rules.h"

namespace grassroots::volunteer {

grpc::ServerUnaryReactor* RosterHandler::SetWorkingHours(grpc::CallbackServerContext* context,
                                                         const v1::SetWorkingHoursRequest* request,
                                                         v1::WorkingHours* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s : {RequireId("hours.volunteer_id", request->hours().volunteer_id()),
                                  ValidateWorkingHours(FromProto(request->hours()))}) {
      if (!s.ok()) return s;
    }
    return Assign(
        store_.Set(call.principal.scope_path(), call.Write(*env_.clock), request->hours()),
        response);
  });
}

grpc::ServerUnaryReactor* RosterHandler::GetWorkingHours(grpc::CallbackServerContext* context,
                                                         const v1::GetWorkingHoursRequest* request,
                                                         v1::WorkingHours* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("volunteer_id", request->volunteer_id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->volunteer_id()), response);
  });
}

grpc::ServerUnaryReactor* RosterHandler::ClearWorkingHours(
    grpc::CallbackServerContext* context, const v1::GetWorkingHoursRequest* request,
    v1::WorkingHours* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("volunteer_id", request->volunteer_id()); !s.ok()) return s;
    return Assign(
        store_.Clear(call.principal.scope_path(), call.Write(*env_.clock), request->volunteer_id()),
        response);
  });
}

}  // namespace grassroots::volunteer
