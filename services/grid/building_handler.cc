#include "services/grid/building_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/grid/building_rules.h"
#include "services/grid/grid_rules.h"
#include "services/grid/list_paging.h"
#include "services/grid/update_mask.h"

namespace grassroots::grid {

grpc::ServerUnaryReactor* BuildingHandler::CreateBuilding(grpc::CallbackServerContext* context,
                                                          const v1::CreateBuildingRequest* request,
                                                          v1::Building* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Building& b = request->building();
    if (!b.grid_id().empty()) {
      if (auto s = RequireId("building.grid_id", b.grid_id()); !s.ok()) return s;
    }
    if (!b.compound_id().empty()) {
      if (auto s = RequireId("building.compound_id", b.compound_id()); !s.ok()) return s;
    }
    for (const absl::Status& s : {ValidateName("building.display_name", b.display_name()),
                                  ValidateFloorCount("building.floor_count", b.floor_count()),
                                  ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(buildings_.Create(call.principal.scope_path(),
                                    call.Write(*env_.clock, request->request_id()), b),
                  response);
  });
}

grpc::ServerUnaryReactor* BuildingHandler::GetBuilding(grpc::CallbackServerContext* context,
                                                       const v1::GetBuildingRequest* request,
                                                       v1::Building* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(buildings_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* BuildingHandler::ListBuildings(grpc::CallbackServerContext* context,
                                                         const v1::ListBuildingsRequest* request,
                                                         v1::ListBuildingsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const BuildingsWithin within{request->grid_id(), request->compound_id()};
    if (within.grid_id.empty() == within.compound_id.empty()) {
      return InvalidField("grid_id", "LISTING_PARENT_REQUIRED",
                          "give either grid_id or compound_id");
    }
    if (auto s = RequireId(within.grid_id.empty() ? "compound_id" : "grid_id",
                           within.grid_id.empty() ? within.compound_id : within.grid_id);
        !s.ok()) {
      return s;
    }
    auto page = ReadPage(absl::StrCat("buildings|", call.principal.scope_path(), "|",
                                      within.grid_id, "|", within.compound_id),
                         request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found = buildings_.List(call.principal.scope_path(), within, page->size, page->after);
    if (!found.ok()) return found.status();
    for (auto& b : found->buildings) *response->add_buildings() = std::move(b);
    response->set_next_page_token(NextPageToken(*page, found->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* BuildingHandler::UpdateBuilding(grpc::CallbackServerContext* context,
                                                          const v1::UpdateBuildingRequest* request,
                                                          v1::Building* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Building& b = request->building();
    if (auto s = RequireId("building.id", b.id()); !s.ok()) return s;
    auto fields = MaskedFields(request->update_mask(), {"display_name", "floor_count"});
    if (!fields.ok()) return fields.status();
    if (Names(*fields, "display_name")) {
      if (auto s = ValidateName("building.display_name", b.display_name()); !s.ok()) return s;
    }
    if (auto s = ValidateFloorCount("building.floor_count", b.floor_count()); !s.ok()) return s;
    return Assign(
        buildings_.Update(call.principal.scope_path(), call.Write(*env_.clock), b, *fields),
        response);
  });
}

grpc::ServerUnaryReactor* BuildingHandler::CreateUnit(grpc::CallbackServerContext* context,
                                                      const v1::CreateUnitRequest* request,
                                                      v1::Unit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Unit& u = request->unit();
    for (const absl::Status& s : {RequireId("unit.building_id", u.building_id()),
                                  ValidateName("unit.display_name", u.display_name()),
                                  ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(units_.Create(call.principal.scope_path(),
                                call.Write(*env_.clock, request->request_id()), u),
                  response);
  });
}

grpc::ServerUnaryReactor* BuildingHandler::GetUnit(grpc::CallbackServerContext* context,
                                                   const v1::GetUnitRequest* request,
                                                   v1::Unit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(units_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* BuildingHandler::ListUnits(grpc::CallbackServerContext* context,
                                                     const v1::ListUnitsRequest* request,
                                                     v1::ListUnitsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("building_id", request->building_id()); !s.ok()) return s;
    auto page =
        ReadPage(absl::StrCat("units|", call.principal.scope_path(), "|", request->building_id()),
                 request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found =
        units_.List(call.principal.scope_path(), request->building_id(), page->size, page->after);
    if (!found.ok()) return found.status();
    for (auto& u : found->units) *response->add_units() = std::move(u);
    response->set_next_page_token(NextPageToken(*page, found->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* BuildingHandler::UpdateUnit(grpc::CallbackServerContext* context,
                                                      const v1::UpdateUnitRequest* request,
                                                      v1::Unit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Unit& u = request->unit();
    if (auto s = RequireId("unit.id", u.id()); !s.ok()) return s;
    auto fields = MaskedFields(request->update_mask(), {"display_name"});
    if (!fields.ok()) return fields.status();
    if (auto s = ValidateName("unit.display_name", u.display_name()); !s.ok()) return s;
    return Assign(units_.Update(call.principal.scope_path(), call.Write(*env_.clock), u, *fields),
                  response);
  });
}

}  // namespace grassroots::grid
