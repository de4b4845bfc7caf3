#include "services/orgs/place_handler.h"

#include "absl/strings/str_cat.h"
#include "common/import/import_reactor.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/coverage_rules.h"

namespace grassroots::orgs {
namespace {

// Page tokens of place listings are bound to the caller's scope and filters.
absl::StatusOr<std::string> AfterKey(const std::string& token, const std::string& query) {
  if (token.empty()) return std::string();
  return DecodePageToken(token, query);
}

}  // namespace

grpc::ServerUnaryReactor* PlaceHandler::CreatePlace(grpc::CallbackServerContext* context,
                                                    const v1::CreatePlaceRequest* request,
                                                    v1::Place* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Place& p = request->place();
    for (const absl::Status& s :
         {ValidatePlaceKind("place.kind", p.kind()),
          ValidateDisplayName("place.display_name", p.display_name()),
          RequireId("place.area_id", p.area_id()),
          ValidatePlaceCounts(p.kind(), p.resident_count(), p.employee_count()),
          ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Create(call.principal.scope_path(),
                                call.Write(*env_.clock, request->request_id()), p),
                  response);
  });
}

grpc::ServerUnaryReactor* PlaceHandler::GetPlace(grpc::CallbackServerContext* context,
                                                 const v1::GetPlaceRequest* request,
                                                 v1::Place* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* PlaceHandler::ListPlaces(grpc::CallbackServerContext* context,
                                                   const v1::ListPlacesRequest* request,
                                                   v1::ListPlacesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    if (request->kind() != v1::PLACE_KIND_UNSPECIFIED) {
      if (auto s = ValidatePlaceKind("kind", request->kind()); !s.ok()) return s;
    }
    const std::string query = absl::StrCat("places|", call.principal.scope_path(), "|",
                                           request->area_id(), "|", request->kind());
    auto after = AfterKey(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page = store_.List(call.principal.scope_path(), request->area_id(), request->kind(),
                            *page_size, *after);
    if (!page.ok()) return page.status();
    for (auto& p : page->places) *response->add_places() = std::move(p);
    if (!page->last_key.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_key));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* PlaceHandler::UpdatePlace(grpc::CallbackServerContext* context,
                                                    const v1::UpdatePlaceRequest* request,
                                                    v1::Place* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Place& p = request->place();
    if (auto s = RequireId("place.id", p.id()); !s.ok()) return s;
    if (request->update_mask().paths_size() == 0) {
      return InvalidField("update_mask", "UPDATE_MASK_REQUIRED",
                          "name the fields to change: display_name, resident_count, "
                          "employee_count");
    }
    std::vector<std::string> fields;
    for (const auto& path : request->update_mask().paths()) {
      if (path == "display_name") {
        if (auto s = ValidateDisplayName("place.display_name", p.display_name()); !s.ok()) {
          return s;
        }
      } else if (path != "resident_count" && path != "employee_count") {
        return InvalidField("update_mask", "FIELD_NOT_UPDATABLE",
                            absl::StrCat("'", path,
                                         "' cannot be updated; display_name, resident_count and "
                                         "employee_count can"));
      }
      fields.push_back(path);
    }
    return Assign(store_.Update(call.principal.scope_path(), call.Write(*env_.clock), p, fields),
                  response);
  });
}

grpc::ServerReadReactor<common::v1::ImportChunk>* PlaceHandler::ImportPlaces(
    grpc::CallbackServerContext* context, common::v1::ImportResult* response) {
  return HandleImport(
      context, env_, response,
      [this](const Call& call, common::v1::FileFormat format, const std::string& data,
             const std::string& request_id, common::v1::ImportResult* result) -> absl::Status {
        auto lines = ParseImport<v1::PlaceImportRecord>(
            format, data, [](const v1::PlaceImportRecord& r) -> absl::Status {
              for (const absl::Status& s :
                   {ValidatePlaceKind("kind", r.kind()),
                    ValidateDisplayName("display_name", r.display_name()),
                    ValidatePlaceCounts(r.kind(), r.resident_count(), r.employee_count())}) {
                if (!s.ok()) return s;
              }
              return absl::OkStatus();
            });
        if (!lines.ok()) return lines.status();
        return Assign(
            store_.Import(call.principal.scope_path(), call.Write(*env_.clock, request_id), *lines),
            result);
      });
}

grpc::ServerUnaryReactor* PlaceHandler::CoverPlace(grpc::CallbackServerContext* context,
                                                   const v1::CoverPlaceRequest* request,
                                                   v1::PlaceCoverage* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    if (auto s = RequireId("place_id", request->place_id()); !s.ok()) return s;
    return Assign(store_.Cover(call.principal.scope_path(), call.Write(*env_.clock),
                               request->organisation_id(), request->place_id()),
                  response);
  });
}

grpc::ServerUnaryReactor* PlaceHandler::UncoverPlace(grpc::CallbackServerContext* context,
                                                     const v1::UncoverPlaceRequest* request,
                                                     v1::PlaceCoverage* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    if (auto s = RequireId("place_id", request->place_id()); !s.ok()) return s;
    return Assign(store_.Uncover(call.principal.scope_path(), call.Write(*env_.clock),
                                 request->organisation_id(), request->place_id()),
                  response);
  });
}

grpc::ServerUnaryReactor* PlaceHandler::SetMemberPlace(grpc::CallbackServerContext* context,
                                                       const v1::SetMemberPlaceRequest* request,
                                                       v1::MemberPlace* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("member_id", request->member_id()); !s.ok()) return s;
    if (!request->place_id().empty()) {
      if (auto s = RequireId("place_id", request->place_id()); !s.ok()) return s;
    }
    return Assign(store_.SetMemberPlace(call.principal.scope_path(), call.Write(*env_.clock),
                                        request->member_id(), request->place_id()),
                  response);
  });
}

grpc::ServerUnaryReactor* PlaceHandler::ListUncoveredPlaces(
    grpc::CallbackServerContext* context, const v1::ListUncoveredPlacesRequest* request,
    v1::ListUncoveredPlacesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query =
        absl::StrCat("uncovered|", call.principal.scope_path(), "|", request->area_id());
    auto after = AfterKey(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page =
        store_.ListUncovered(call.principal.scope_path(), request->area_id(), *page_size, *after);
    if (!page.ok()) return page.status();
    for (auto& p : page->places) *response->add_places() = std::move(p);
    if (!page->last_key.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_key));
    }
    return absl::OkStatus();
  });
}

}  // namespace grassroots::orgs
