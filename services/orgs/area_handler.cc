#include "services/orgs/area_handler.h"

#include "absl/strings/str_cat.h"
#include "common/import/import_reactor.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/orgs/area_import_parser.h"
#include "services/orgs/area_rules.h"

namespace grassroots::orgs {

grpc::ServerUnaryReactor* AreaHandler::CreateArea(grpc::CallbackServerContext* context,
                                                  const v1::CreateAreaRequest* request,
                                                  v1::Area* response) {
  auto call = Authenticate(*context, env_);
  if (!call.ok()) return FinishNow(context, call.status());
  const v1::Area& area = request->area();
  for (const absl::Status& s :
       {ValidateKind("area.kind", area.kind()), ValidateAreaCode("area.code", area.code()),
        ValidateDisplayName("area.display_name", area.display_name()),
        ValidateRequestId(request->request_id())}) {
    if (!s.ok()) return FinishNow(context, s);
  }
  auto* reactor = context->DefaultReactor();
  CreateRequest create{call->principal.scope_path(),
                       call->Write(*env_.clock, request->request_id()), area};
  creates_.Submit(std::move(create), [this, reactor, response,
                                      call = *std::move(call)](absl::StatusOr<v1::Area> result) {
    absl::Status status = Assign(std::move(result), response);
    LogIfInternal(env_, &call, status);
    reactor->Finish(ToGrpcStatus(status));
  });
  return reactor;
}

grpc::ServerUnaryReactor* AreaHandler::GetArea(grpc::CallbackServerContext* context,
                                               const v1::GetAreaRequest* request,
                                               v1::Area* response) {
  // The common case is answered from memory on gRPC's own thread: no hop to
  // the worker pool, no database round trip. The principal is verified once.
  auto call = Authenticate(*context, env_);
  if (!call.ok()) return FinishNow(context, call.status());
  if (auto s = RequireId("id", request->id()); !s.ok()) return FinishNow(context, s);
  if (auto cached = store_.GetCached(call->principal.scope_path(), request->id())) {
    return FinishNow(context, Assign(*std::move(cached), response));
  }
  return RunOnWorkers(
      context, env_, *std::move(call), [this, request, response](const Call& call) -> absl::Status {
        return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
      });
}

grpc::ServerUnaryReactor* AreaHandler::ListAreas(grpc::CallbackServerContext* context,
                                                 const v1::ListAreasRequest* request,
                                                 v1::ListAreasResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query = absl::StrCat(call.principal.scope_path(), "|", request->parent_id(),
                                           "|", request->subtree());
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page = store_.List(call.principal.scope_path(), request->parent_id(), request->subtree(),
                            *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& area : page->areas) *response->add_areas() = std::move(area);
    if (!page->last_path.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_path));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AreaHandler::UpdateArea(grpc::CallbackServerContext* context,
                                                  const v1::UpdateAreaRequest* request,
                                                  v1::Area* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("area.id", request->area().id()); !s.ok()) return s;
    if (request->update_mask().paths_size() == 0) {
      return InvalidField("update_mask", "UPDATE_MASK_REQUIRED",
                          "name the fields to change, e.g. display_name");
    }
    for (const auto& path : request->update_mask().paths()) {
      if (path != "display_name") {
        return InvalidField("update_mask", "FIELD_NOT_UPDATABLE",
                            absl::StrCat("'", path,
                                         "' cannot be updated; only display_name can (use "
                                         "MoveArea to change the parent)"));
      }
    }
    if (auto s = ValidateDisplayName("area.display_name", request->area().display_name());
        !s.ok()) {
      return s;
    }
    return Assign(store_.UpdateDisplayName(call.principal.scope_path(), call.Write(*env_.clock),
                                           request->area().id(), request->area().etag(),
                                           request->area().display_name()),
                  response);
  });
}

grpc::ServerUnaryReactor* AreaHandler::MoveArea(grpc::CallbackServerContext* context,
                                                const v1::MoveAreaRequest* request,
                                                v1::Area* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = RequireId("new_parent_id", request->new_parent_id()); !s.ok()) return s;
    return Assign(store_.Move(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                              request->new_parent_id(), request->etag()),
                  response);
  });
}

grpc::ServerUnaryReactor* AreaHandler::DeleteArea(grpc::CallbackServerContext* context,
                                                  const v1::DeleteAreaRequest* request,
                                                  v1::DeleteAreaResponse*) {
  return HandleUnary(context, env_, [this, request](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return store_.Delete(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                         request->etag());
  });
}

grpc::ServerReadReactor<v1::ImportAreasRequest>* AreaHandler::ImportAreas(
    grpc::CallbackServerContext* context, v1::ImportAreasResponse* response) {
  return HandleImport<v1::ImportAreasRequest>(
      context, env_, response,
      [this](const Call& call, common::v1::FileFormat format, const std::string& data,
             const std::string& request_id, v1::ImportAreasResponse* result) -> absl::Status {
        auto lines = ParseAreaImport(format, data);
        if (!lines.ok()) return lines.status();
        auto created =
            store_.Import(call.principal.scope_path(), call.Write(*env_.clock, request_id), *lines);
        if (!created.ok()) return created.status();
        result->set_created_count(*created);
        return absl::OkStatus();
      });
}

}  // namespace grassroots::orgs
