#include "services/orgs/co_building_handler.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/orgs/resident_unit_rules.h"

namespace grassroots::orgs {

absl::CivilDay CoBuildingHandler::Today() const {
  return absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone());
}

grpc::ServerUnaryReactor* CoBuildingHandler::GetCoBuildingProject(
    grpc::CallbackServerContext* context, const v1::GetCoBuildingProjectRequest* request,
    v1::CoBuildingProject* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id(), Today()), response);
  });
}

grpc::ServerUnaryReactor* CoBuildingHandler::ListCoBuildingProjects(
    grpc::CallbackServerContext* context, const v1::ListCoBuildingProjectsRequest* request,
    v1::ListCoBuildingProjectsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    if (!v1::CoBuildingProject::State_IsValid(request->state())) {
      return InvalidField("state", "STATE_INVALID",
                          "must be PLANNED, IN_PROGRESS, DONE or CANCELLED");
    }
    const ProjectFilter filter{request->area_id(), request->state(), request->overdue_only()};
    const absl::CivilDay today = Today();
    const std::string query =
        absl::StrCat("projects|", call.principal.scope_path(), "|", filter.area_id, "|",
                     filter.state, "|", filter.overdue_only);
    ProjectCursor after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      std::pair<std::string, std::string> key = absl::StrSplit(*decoded, absl::MaxSplits('|', 1));
      after = {key.first, key.second};
    }
    auto page = store_.List(call.principal.scope_path(), filter, today, *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& project : page->projects) *response->add_projects() = std::move(project);
    if (page->last) {
      response->set_next_page_token(
          EncodePageToken(query, absl::StrCat(page->last->due_date, "|", page->last->id)));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CoBuildingHandler::UpdateCoBuildingProjectStatus(
    grpc::CallbackServerContext* context, const v1::UpdateCoBuildingProjectStatusRequest* request,
    v1::CoBuildingProject* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateFreeText("note", request->note(), 500, /*required=*/false); !s.ok()) {
      return s;
    }
    // The transition itself is judged against the stored state, in the store.
    return Assign(
        store_.UpdateStatus(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                            request->etag(), request->state(), request->note(), Today()),
        response);
  });
}

}  // namespace grassroots::orgs
