#include "services/volunteer/wish_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/paging.h"
#include "services/volunteer/wish_rules.h"

namespace grassroots::volunteer {

grpc::ServerUnaryReactor* WishHandler::CollectWish(grpc::CallbackServerContext* context,
                                                   const v1::CollectWishRequest* request,
                                                   v1::Wish* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidateWish(request->wish()), ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Collect(call.principal.scope_path(),
                                 call.Write(*env_.clock, request->request_id()), request->wish()),
                  response);
  });
}

grpc::ServerUnaryReactor* WishHandler::VerifyWish(grpc::CallbackServerContext* context,
                                                  const v1::VerifyWishRequest* request,
                                                  v1::Wish* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireId("id", request->id()), ValidateText("reason", request->reason(), 500,
                                                       /*required=*/!request->approve())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Verify(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                                request->approve(), request->reason()),
                  response);
  });
}

grpc::ServerUnaryReactor* WishHandler::PublishWish(grpc::CallbackServerContext* context,
                                                   const v1::WishRequest* request,
                                                   v1::Wish* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(
        store_.Publish(call.principal.scope_path(), call.Write(*env_.clock), request->id()),
        response);
  });
}

grpc::ServerUnaryReactor* WishHandler::ClaimWish(grpc::CallbackServerContext* context,
                                                 const v1::ClaimWishRequest* request,
                                                 v1::Wish* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (request->volunteer_id().empty() == request->member_id().empty()) {
      return InvalidField("volunteer_id", "CLAIMER_REQUIRED",
                          "name the claimer by volunteer_id or by member_id, not both");
    }
    for (const std::string* id :
         {&request->volunteer_id(), &request->member_id(), &request->team_id()}) {
      if (id->size() > 40) return InvalidField("volunteer_id", "ID_INVALID", "ids are 1-40 bytes");
    }
    return Assign(store_.Claim(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                               {request->volunteer_id(), request->member_id(), request->team_id()}),
                  response);
  });
}

grpc::ServerUnaryReactor* WishHandler::FulfilWish(grpc::CallbackServerContext* context,
                                                  const v1::FulfilWishRequest* request,
                                                  v1::Wish* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireId("id", request->id()), ValidateText("note", request->note(), 500, false)}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Fulfil(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                                request->note()),
                  response);
  });
}

grpc::ServerUnaryReactor* WishHandler::ConfirmWish(grpc::CallbackServerContext* context,
                                                   const v1::ConfirmWishRequest* request,
                                                   v1::Wish* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireId("id", request->id()), ValidateText("note", request->note(), 500, false)}) {
      if (!s.ok()) return s;
    }
    const WriteContext write = call.Write(*env_.clock);
    auto confirmed =
        store_.Confirm(call.principal.scope_path(), write, request->id(), request->note());
    if (confirmed.ok() && MadeBy(confirmed->update_time(), write)) {
      metrics_.PointsIssued(confirmed->community_path(), confirmed->points());
    }
    return Assign(std::move(confirmed), response);
  });
}

grpc::ServerUnaryReactor* WishHandler::GetWish(grpc::CallbackServerContext* context,
                                               const v1::WishRequest* request, v1::Wish* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* WishHandler::ListWishes(grpc::CallbackServerContext* context,
                                                  const v1::ListWishesRequest* request,
                                                  v1::ListWishesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateCommunityPath("community_path", request->community_path()); !s.ok()) {
      return s;
    }
    auto page = OpenPage(absl::StrCat("wishes|", call.principal.scope_path(), "|",
                                      request->community_path(), "|", request->state()),
                         request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto listed = store_.List(call.principal.scope_path(), request->community_path(),
                              request->state(), page->size, page->after);
    if (!listed.ok()) return listed.status();
    for (v1::Wish& w : listed->wishes) *response->add_wishes() = std::move(w);
    response->set_next_page_token(TokenAfter(*page, listed->last_id));
    return absl::OkStatus();
  });
}

}  // namespace grassroots::volunteer
