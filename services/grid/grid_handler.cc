#include "services/grid/grid_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/grid/grid_rules.h"
#include "services/grid/list_paging.h"
#include "services/grid/update_mask.h"

namespace grassroots::grid {

grpc::ServerUnaryReactor* GridHandler::CreateGrid(grpc::CallbackServerContext* context,
                                                  const v1::CreateGridRequest* request,
                                                  v1::Grid* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Grid& grid = request->grid();
    for (const absl::Status& s : {RequireId("grid.community_id", grid.community_id()),
                                  ValidateGridCode("grid.code", grid.code()),
                                  ValidateName("grid.display_name", grid.display_name()),
                                  ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    auto community = areas_.GetArea(call, "grid.community_id", grid.community_id());
    if (!community.ok()) {
      // A replay of a create that went through answers as it did, orgs or not.
      if (absl::IsUnavailable(community.status())) {
        return Assign(store_.EarlierCreate(write, community.status()), response);
      }
      return community.status();
    }
    if (auto s = ValidateGridArea("grid.community_id", community->kind, community->path); !s.ok()) {
      return s;
    }
    return Assign(store_.Create(call.principal.scope_path(), write, grid, community->path),
                  response);
  });
}

grpc::ServerUnaryReactor* GridHandler::GetGrid(grpc::CallbackServerContext* context,
                                               const v1::GetGridRequest* request,
                                               v1::Grid* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* GridHandler::ListGrids(grpc::CallbackServerContext* context,
                                                 const v1::ListGridsRequest* request,
                                                 v1::ListGridsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (!request->community_id().empty()) {
      if (auto s = RequireId("community_id", request->community_id()); !s.ok()) return s;
    }
    auto page =
        ReadPage(absl::StrCat("grids|", call.principal.scope_path(), "|", request->community_id()),
                 request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto grids =
        store_.List(call.principal.scope_path(), request->community_id(), page->size, page->after);
    if (!grids.ok()) return grids.status();
    for (auto& g : grids->grids) *response->add_grids() = std::move(g);
    response->set_next_page_token(NextPageToken(*page, grids->last_path));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* GridHandler::UpdateGrid(grpc::CallbackServerContext* context,
                                                  const v1::UpdateGridRequest* request,
                                                  v1::Grid* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Grid& grid = request->grid();
    if (auto s = RequireId("grid.id", grid.id()); !s.ok()) return s;
    auto fields = MaskedFields(request->update_mask(), {"display_name"});
    if (!fields.ok()) return fields.status();
    if (auto s = ValidateName("grid.display_name", grid.display_name()); !s.ok()) return s;
    return Assign(
        store_.Update(call.principal.scope_path(), call.Write(*env_.clock), grid, *fields),
        response);
  });
}

}  // namespace grassroots::grid
