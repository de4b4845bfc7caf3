#include "services/volunteer/activity_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/time/proto_time.h"
#include "services/volunteer/activity_rules.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/paging.h"

namespace grassroots::volunteer {

grpc::ServerUnaryReactor* ActivityHandler::CreateActivity(grpc::CallbackServerContext* context,
                                                          const v1::CreateActivityRequest* request,
                                                          v1::Activity* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidateActivity(request->activity()), ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(
        activities_.Create(call.principal.scope_path(),
                           call.Write(*env_.clock, request->request_id()), request->activity()),
        response);
  });
}

grpc::ServerUnaryReactor* ActivityHandler::GetActivity(grpc::CallbackServerContext* context,
                                                       const v1::GetActivityRequest* request,
                                                       v1::Activity* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(activities_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* ActivityHandler::SignUp(grpc::CallbackServerContext* context,
                                                  const v1::SignUpRequest* request,
                                                  v1::Attendance* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s : {RequireId("activity_id", request->activity_id()),
                                  RequireId("volunteer_id", request->volunteer_id())}) {
      if (!s.ok()) return s;
    }
    const WriteContext write = call.Write(*env_.clock);
    auto signed_up = attendances_.SignUp(call.principal.scope_path(), write, request->activity_id(),
                                         request->volunteer_id());
    if (signed_up.ok() && MadeBy(signed_up->update_time(), write)) {
      metrics_.SignUp(signed_up->community_path());
    }
    return Assign(std::move(signed_up), response);
  });
}

grpc::ServerUnaryReactor* ActivityHandler::CancelSignUp(grpc::CallbackServerContext* context,
                                                        const v1::AttendanceRequest* request,
                                                        v1::Attendance* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("attendance_id", request->attendance_id()); !s.ok()) return s;
    return Assign(attendances_.Cancel(call.principal.scope_path(), call.Write(*env_.clock),
                                      request->attendance_id()),
                  response);
  });
}

grpc::ServerUnaryReactor* ActivityHandler::Record(grpc::CallbackServerContext* context,
                                                  const v1::RecordTimeRequest* request,
                                                  v1::Attendance* response, bool check_in) {
  return HandleUnary(
      context, env_, [this, request, response, check_in](const Call& call) -> absl::Status {
        if (auto s = RequireId("attendance_id", request->attendance_id()); !s.ok()) {
          return s;
        }
        const WriteContext write = call.Write(*env_.clock);
        const absl::Time time = request->has_time() ? FromProtoTime(request->time()) : write.now;
        return Assign(attendances_.RecordTime(call.principal.scope_path(), write,
                                              request->attendance_id(), check_in, time),
                      response);
      });
}

grpc::ServerUnaryReactor* ActivityHandler::CheckIn(grpc::CallbackServerContext* context,
                                                   const v1::RecordTimeRequest* request,
                                                   v1::Attendance* response) {
  return Record(context, request, response, /*check_in=*/true);
}

grpc::ServerUnaryReactor* ActivityHandler::CheckOut(grpc::CallbackServerContext* context,
                                                    const v1::RecordTimeRequest* request,
                                                    v1::Attendance* response) {
  return Record(context, request, response, /*check_in=*/false);
}

grpc::ServerUnaryReactor* ActivityHandler::ConfirmAttendance(grpc::CallbackServerContext* context,
                                                             const v1::AttendanceRequest* request,
                                                             v1::Attendance* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("attendance_id", request->attendance_id()); !s.ok()) return s;
    const WriteContext write = call.Write(*env_.clock);
    auto confirmed =
        attendances_.Confirm(call.principal.scope_path(), write, request->attendance_id());
    if (confirmed.ok() && MadeBy(confirmed->update_time(), write)) {
      metrics_.PointsIssued(confirmed->community_path(), confirmed->points());
    }
    return Assign(std::move(confirmed), response);
  });
}

grpc::ServerUnaryReactor* ActivityHandler::ListAttendances(
    grpc::CallbackServerContext* context, const v1::ListAttendancesRequest* request,
    v1::ListAttendancesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("activity_id", request->activity_id()); !s.ok()) return s;
    auto page = OpenPage(
        absl::StrCat("attendances|", call.principal.scope_path(), "|", request->activity_id()),
        request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto listed = attendances_.List(call.principal.scope_path(), request->activity_id(), page->size,
                                    page->after);
    if (!listed.ok()) return listed.status();
    for (v1::Attendance& a : listed->attendances) *response->add_attendances() = std::move(a);
    response->set_next_page_token(TokenAfter(*page, listed->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ActivityHandler::SetPointsRule(grpc::CallbackServerContext* context,
                                                         const v1::SetPointsRuleRequest* request,
                                                         v1::PointsRule* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidatePointsRule(request->rule()); !s.ok()) return s;
    return Assign(
        activities_.SetRule(call.principal.scope_path(), call.Write(*env_.clock), request->rule()),
        response);
  });
}

grpc::ServerUnaryReactor* ActivityHandler::ListPointsRules(
    grpc::CallbackServerContext* context, const v1::ListPointsRulesRequest* request,
    v1::ListPointsRulesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateCommunityPath("community_path", request->community_path()); !s.ok()) {
      return s;
    }
    auto rules = activities_.ListRules(call.principal.scope_path(), request->community_path());
    if (!rules.ok()) return rules.status();
    for (v1::PointsRule& r : *rules) *response->add_rules() = std::move(r);
    return absl::OkStatus();
  });
}

}  // namespace grassroots::volunteer
