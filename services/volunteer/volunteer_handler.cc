#include "services/volunteer/volunteer_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/volunteer/activity_rules.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/paging.h"

namespace grassroots::volunteer {

grpc::ServerUnaryReactor* VolunteerHandler::CreateVolunteer(
    grpc::CallbackServerContext* context, const v1::CreateVolunteerRequest* request,
    v1::Volunteer* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidateVolunteer(request->volunteer()), ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    auto made = store_.Create(call.principal.scope_path(), write, request->volunteer());
    if (made.ok() && MadeBy(made->create_time(), write)) {
      metrics_.VolunteerRegistered(made->community_path());
    }
    return Assign(std::move(made), response);
  });
}

grpc::ServerUnaryReactor* VolunteerHandler::GetVolunteer(grpc::CallbackServerContext* context,
                                                         const v1::GetVolunteerRequest* request,
                                                         v1::Volunteer* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* VolunteerHandler::ListVolunteers(grpc::CallbackServerContext* context,
                                                           const v1::ListVolunteersRequest* request,
                                                           v1::ListVolunteersResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (!request->community_path().empty()) {
      if (auto s = ValidateCommunityPath("community_path", request->community_path()); !s.ok()) {
        return s;
      }
    }
    auto page = OpenPage(
        absl::StrCat("volunteers|", call.principal.scope_path(), "|", request->community_path()),
        request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto listed = store_.List(call.principal.scope_path(), request->community_path(), page->size,
                              page->after);
    if (!listed.ok()) return listed.status();
    for (v1::Volunteer& v : listed->volunteers) *response->add_volunteers() = std::move(v);
    response->set_next_page_token(TokenAfter(*page, listed->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* VolunteerHandler::CreateTeam(grpc::CallbackServerContext* context,
                                                       const v1::CreateTeamRequest* request,
                                                       v1::Team* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidateTeam(request->team()), ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(
        store_.CreateTeam(call.principal.scope_path(),
                          call.Write(*env_.clock, request->request_id()), request->team()),
        response);
  });
}

grpc::ServerUnaryReactor* VolunteerHandler::GetTeam(grpc::CallbackServerContext* context,
                                                    const v1::GetTeamRequest* request,
                                                    v1::Team* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.GetTeam(call.principal.scope_path(), request->id()), response);
  });
}

}  // namespace grassroots::volunteer
