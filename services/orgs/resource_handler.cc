#include "services/orgs/resource_handler.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/orgs/co_building_rules.h"
#include "services/orgs/member_rules.h"
#include "services/orgs/resident_unit_rules.h"
#include "services/orgs/resource_matching.h"

namespace grassroots::orgs {
namespace {

constexpr int kDefaultCandidates = 5;
constexpr int kMaxCandidates = 20;
constexpr int kDefaultMatchPage = 20;
constexpr int kMaxMatchPage = 100;

absl::Status ValidateFilterCategory(v1::ResourceCategory category) {
  if (category == v1::RESOURCE_CATEGORY_UNSPECIFIED) return absl::OkStatus();
  return ValidateCategory("category", category);
}

// The position a page token holds, or "" without one.
absl::StatusOr<std::string> After(const std::string& token, const std::string& query) {
  if (token.empty()) return std::string();
  return DecodePageToken(token, query);
}

}  // namespace

grpc::ServerUnaryReactor* ResourceHandler::PublishResource(
    grpc::CallbackServerContext* context, const v1::PublishResourceRequest* request,
    v1::UnitResource* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::UnitResource& r = request->resource();
    for (const absl::Status& s :
         {RequireId("resource.unit_id", r.unit_id()),
          ValidateCategory("resource.category", r.category()),
          ValidateFreeText("resource.description", r.description(), 1000, /*required=*/true),
          ValidateAmount("resource.capacity", r.capacity()),
          ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.PublishResource(call.principal.scope_path(),
                                         call.Write(*env_.clock, request->request_id()), r),
                  response);
  });
}

grpc::ServerUnaryReactor* ResourceHandler::ListResources(grpc::CallbackServerContext* context,
                                                         const v1::ListResourcesRequest* request,
                                                         v1::ListResourcesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    if (auto s = ValidateFilterCategory(request->category()); !s.ok()) return s;
    const ResourceFilter filter{request->area_id(), request->category(), request->include_closed()};
    const std::string query =
        absl::StrCat("resources|", call.principal.scope_path(), "|", filter.area_id, "|",
                     filter.category, "|", filter.include_closed);
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page = store_.ListResources(call.principal.scope_path(), filter, *page_size, *after);
    if (!page.ok()) return page.status();
    for (auto& r : page->items) *response->add_resources() = std::move(r);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ResourceHandler::PublishNeed(grpc::CallbackServerContext* context,
                                                       const v1::PublishNeedRequest* request,
                                                       v1::CommunityNeed* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::CommunityNeed& n = request->need();
    for (const absl::Status& s :
         {RequireId("need.area_id", n.area_id()), ValidateCategory("need.category", n.category()),
          ValidateFreeText("need.description", n.description(), 1000, /*required=*/true),
          ValidateAmount("need.quantity", n.quantity()),
          ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.PublishNeed(call.principal.scope_path(),
                                     call.Write(*env_.clock, request->request_id()), n),
                  response);
  });
}

grpc::ServerUnaryReactor* ResourceHandler::ListNeeds(grpc::CallbackServerContext* context,
                                                     const v1::ListNeedsRequest* request,
                                                     v1::ListNeedsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    if (auto s = ValidateFilterCategory(request->category()); !s.ok()) return s;
    const NeedFilter filter{request->area_id(), request->category(), request->include_fulfilled()};
    const std::string query =
        absl::StrCat("needs|", call.principal.scope_path(), "|", filter.area_id, "|",
                     filter.category, "|", filter.include_fulfilled);
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page = store_.ListNeeds(call.principal.scope_path(), filter, *page_size, *after);
    if (!page.ok()) return page.status();
    for (auto& n : page->items) *response->add_needs() = std::move(n);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ResourceHandler::MatchNeeds(grpc::CallbackServerContext* context,
                                                      const v1::MatchNeedsRequest* request,
                                                      v1::MatchNeedsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size(), kDefaultMatchPage, kMaxMatchPage);
    if (!page_size.ok()) return page_size.status();
    if (auto s = ValidateFilterCategory(request->category()); !s.ok()) return s;
    if (request->candidates_per_need() < 0) {
      return InvalidField("candidates_per_need", "CANDIDATES_INVALID", "must not be negative");
    }
    const int candidates = request->candidates_per_need() == 0
                               ? kDefaultCandidates
                               : std::min(request->candidates_per_need(), kMaxCandidates);
    const NeedFilter filter{request->area_id(), request->category(), false};
    const std::string query = absl::StrCat("match|", call.principal.scope_path(), "|",
                                           filter.area_id, "|", filter.category);
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page =
        store_.MatchNeeds(call.principal.scope_path(), filter, candidates, *page_size, *after);
    if (!page.ok()) return page.status();
    for (auto& m : page->items) *response->add_matches() = std::move(m);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ResourceHandler::AcceptMatch(grpc::CallbackServerContext* context,
                                                       const v1::AcceptMatchRequest* request,
                                                       v1::ResourceMatch* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireId("need_id", request->need_id()),
          RequireId("resource_id", request->resource_id()),
          ValidateAmount("quantity", request->quantity()),
          ValidateFreeText("project_title", request->project_title(), 200, /*required=*/true),
          ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    auto due = ParseDate("project_due_date", request->project_due_date());
    if (!due.ok()) return due.status();
    const absl::CivilDay today = absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone());
    if (auto s = ValidateProjectDueDate("project_due_date", *due, today); !s.ok()) return s;
    MatchRequest match{request->need_id(), request->resource_id(), request->quantity(),
                       request->project_title(), *due};
    return Assign(store_.Accept(call.principal.scope_path(),
                                call.Write(*env_.clock, request->request_id()), match),
                  response);
  });
}

}  // namespace grassroots::orgs
