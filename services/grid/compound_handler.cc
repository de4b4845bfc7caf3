#include "services/grid/compound_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/grid/building_rules.h"
#include "services/grid/grid_rules.h"
#include "services/grid/list_paging.h"
#include "services/grid/update_mask.h"

namespace grassroots::grid {

grpc::ServerUnaryReactor* CompoundHandler::CreateCompound(grpc::CallbackServerContext* context,
                                                          const v1::CreateCompoundRequest* request,
                                                          v1::Compound* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Compound& p = request->compound();
    for (const absl::Status& s : {RequireId("compound.grid_id", p.grid_id()),
                                  ValidateName("compound.display_name", p.display_name()),
                                  ValidateCompoundAddress("compound.address", p.address()),
                                  ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Create(call.principal.scope_path(),
                                call.Write(*env_.clock, request->request_id()), p),
                  response);
  });
}

grpc::ServerUnaryReactor* CompoundHandler::GetCompound(grpc::CallbackServerContext* context,
                                                       const v1::GetCompoundRequest* request,
                                                       v1::Compound* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* CompoundHandler::ListCompounds(grpc::CallbackServerContext* context,
                                                         const v1::ListCompoundsRequest* request,
                                                         v1::ListCompoundsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("grid_id", request->grid_id()); !s.ok()) return s;
    auto page =
        ReadPage(absl::StrCat("compounds|", call.principal.scope_path(), "|", request->grid_id()),
                 request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found =
        store_.List(call.principal.scope_path(), request->grid_id(), page->size, page->after);
    if (!found.ok()) return found.status();
    for (auto& p : found->compounds) *response->add_compounds() = std::move(p);
    response->set_next_page_token(NextPageToken(*page, found->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CompoundHandler::UpdateCompound(grpc::CallbackServerContext* context,
                                                          const v1::UpdateCompoundRequest* request,
                                                          v1::Compound* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Compound& p = request->compound();
    if (auto s = RequireId("compound.id", p.id()); !s.ok()) return s;
    auto fields = MaskedFields(request->update_mask(), {"display_name", "address"});
    if (!fields.ok()) return fields.status();
    if (Names(*fields, "display_name")) {
      if (auto s = ValidateName("compound.display_name", p.display_name()); !s.ok()) return s;
    }
    if (auto s = ValidateCompoundAddress("compound.address", p.address()); !s.ok()) return s;
    return Assign(store_.Update(call.principal.scope_path(), call.Write(*env_.clock), p, *fields),
                  response);
  });
}

}  // namespace grassroots::grid
