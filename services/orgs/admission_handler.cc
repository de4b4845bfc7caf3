#include "services/orgs/admission_handler.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/scope.h"
#include "common/paging/page_token.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/orgs/admission_rules.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/request_dates.h"

namespace grassroots::orgs {
namespace {

absl::Status PlaceHidden(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the place lies outside the caller's jurisdiction");
  }
  return NotFound("AREA_NOT_FOUND", "area_id: no such area");
}

}  // namespace

absl::StatusOr<std::string> AdmissionHandler::PlacePath(const Call& call,
                                                        const std::string& area_id,
                                                        const std::string& area_path) {
  const std::string& scope = call.principal.scope_path();
  if (area_id.empty() == area_path.empty()) {
    return InvalidField("area_id", "PLACE_REQUIRED",
                        "give the place as an area_id or an area_path");
  }
  if (!area_path.empty()) {
    // A path may go below the areas orgs holds (a grid of `grid`), so it is
    // checked for form and scope only.
    if (area_path.size() > 512) {
      return InvalidField("area_path", "AREA_PATH_INVALID", "must be at most 512 bytes");
    }
    for (absl::string_view code : absl::StrSplit(area_path, '/')) {
      if (!ValidateAreaCode("area_path", code).ok()) {
        return InvalidField("area_path", "AREA_PATH_INVALID",
                            "must be area codes joined by '/', e.g. d01/s03/c12");
      }
    }
    if (!PathWithin(area_path, scope)) return PlaceHidden(scope);
    return area_path;
  }
  if (auto s = RequireId("area_id", area_id); !s.ok()) return s;
  if (areas_ != nullptr && areas_->loaded()) {
    if (auto area = areas_->Find(area_id)) {
      if (!PathWithin(area->path(), scope)) return PlaceHidden(scope);
      return area->path();
    }
  }
  auto path = store_.AreaPath(scope, area_id);
  if (!path.ok()) return path.status();
  if (!path->has_value()) return PlaceHidden(scope);
  return **path;
}

grpc::ServerUnaryReactor* AdmissionHandler::PublishAdmissionList(
    grpc::CallbackServerContext* context, const v1::PublishAdmissionListRequest* request,
    v1::AdmissionList* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("region_area_id", request->region_area_id()); !s.ok()) return s;
    if (auto s = ValidateAdmissionCategories(request->categories()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    const absl::CivilDay today = Today(*env_.clock);
    auto effective = DateOr("effective_date", request->effective_date(), today);
    if (!effective.ok()) return effective.status();
    auto published =
        store_.Publish(call.principal.scope_path(), call.Write(*env_.clock, request->request_id()),
                       request->region_area_id(), *effective, *request, today);
    if (!published.ok()) return published.status();
    cache_.Apply(*published);  // read-your-writes: CheckAdmission sees it at once
    *response = *std::move(published);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdmissionHandler::GetAdmissionListInForce(
    grpc::CallbackServerContext* context, const v1::GetAdmissionListInForceRequest* request,
    v1::AdmissionList* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto day = DateOr("date", request->date(), Today(*env_.clock));
    if (!day.ok()) return day.status();
    auto place = PlacePath(call, request->area_id(), request->area_path());
    if (!place.ok()) return place.status();
    auto list = cache_.InForce(*place, *day);
    if (list == nullptr) {
      return NotFound("NO_ADMISSION_LIST", absl::StrCat("no admission list is in force at ", *place,
                                                        " on ", absl::FormatCivilTime(*day)));
    }
    *response = *list;
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdmissionHandler::ListAdmissionListVersions(
    grpc::CallbackServerContext* context, const v1::ListAdmissionListVersionsRequest* request,
    v1::ListAdmissionListVersionsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("region_area_id", request->region_area_id()); !s.ok()) return s;
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query =
        absl::StrCat("admission|", call.principal.scope_path(), "|", request->region_area_id());
    int32_t before = 0;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      if (!absl::SimpleAtoi(*decoded, &before) || before <= 0) {
        return InvalidField("page_token", "PAGE_TOKEN_INVALID", "is not a token this call made");
      }
    }
    auto page = store_.ListVersions(call.principal.scope_path(), request->region_area_id(),
                                    *page_size, before);
    if (!page.ok()) return page.status();
    for (auto& list : page->lists) *response->add_lists() = std::move(list);
    if (page->last_version != 0) {
      response->set_next_page_token(EncodePageToken(query, absl::StrCat(page->last_version)));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdmissionHandler::CheckAdmission(grpc::CallbackServerContext* context,
                                                           const v1::CheckAdmissionRequest* request,
                                                           v1::CheckAdmissionResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateAdmissionCode("item_code", request->item_code()); !s.ok()) return s;
    if (auto s = ValidateAdmissionCode("department", request->department()); !s.ok()) return s;
    auto day = DateOr("date", request->date(), Today(*env_.clock));
    if (!day.ok()) return day.status();
    auto place = PlacePath(call, request->area_id(), request->area_path());
    if (!place.ok()) return place.status();
    auto list = cache_.InForce(*place, *day);
    *response =
        DecideAdmission(list.get(), *place, request->item_code(), request->department(), *day);
    return absl::OkStatus();
  });
}

}  // namespace grassroots::orgs
