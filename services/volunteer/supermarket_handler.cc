#include "services/volunteer/supermarket_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/paging.h"
#include "services/volunteer/supermarket_rules.h"

namespace grassroots::volunteer {

grpc::ServerUnaryReactor* SupermarketHandler::CreateGood(grpc::CallbackServerContext* context,
                                                         const v1::CreateGoodRequest* request,
                                                         v1::Good* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidateGood(request->good()), ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(
        store_.CreateGood(call.principal.scope_path(),
                          call.Write(*env_.clock, request->request_id()), request->good()),
        response);
  });
}

grpc::ServerUnaryReactor* SupermarketHandler::GetGood(grpc::CallbackServerContext* context,
                                                      const v1::GetGoodRequest* request,
                                                      v1::Good* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.GetGood(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* SupermarketHandler::ListGoods(grpc::CallbackServerContext* context,
                                                        const v1::ListGoodsRequest* request,
                                                        v1::ListGoodsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateCommunityPath("community_path", request->community_path()); !s.ok()) {
      return s;
    }
    auto page = OpenPage(
        absl::StrCat("goods|", call.principal.scope_path(), "|", request->community_path()),
        request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto listed = store_.ListGoods(call.principal.scope_path(), request->community_path(),
                                   page->size, page->after);
    if (!listed.ok()) return listed.status();
    for (v1::Good& g : listed->goods) *response->add_goods() = std::move(g);
    response->set_next_page_token(TokenAfter(*page, listed->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SupermarketHandler::RestockGood(grpc::CallbackServerContext* context,
                                                          const v1::RestockGoodRequest* request,
                                                          v1::Good* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s : {RequireId("good_id", request->good_id()),
                                  ValidateRestock(request->quantity(), request->request_id()),
                                  ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(
        store_.Restock(call.principal.scope_path(), call.Write(*env_.clock, request->request_id()),
                       request->good_id(), request->quantity()),
        response);
  });
}

grpc::ServerUnaryReactor* SupermarketHandler::Redeem(grpc::CallbackServerContext* context,
                                                     const v1::RedeemRequest* request,
                                                     v1::Redemption* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateRedemption(request->redemption()); !s.ok()) return s;
    const WriteContext write = call.Write(*env_.clock);
    auto made = store_.Redeem(call.principal.scope_path(), write, request->redemption());
    if (made.ok() && MadeBy(made->create_time(), write)) {
      metrics_.Redemption(made->community_path());
      metrics_.PointsRedeemed(made->community_path(), made->points());
    }
    return Assign(std::move(made), response);
  });
}

grpc::ServerUnaryReactor* SupermarketHandler::CancelRedemption(
    grpc::CallbackServerContext* context, const v1::CancelRedemptionRequest* request,
    v1::Redemption* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateRedemptionId("id", request->id()); !s.ok()) return s;
    const WriteContext write = call.Write(*env_.clock);
    auto cancelled = store_.Cancel(call.principal.scope_path(), write, request->id());
    if (cancelled.ok() && MadeBy(cancelled->update_time(), write)) {
      metrics_.RedemptionCancelled(cancelled->community_path());
    }
    return Assign(std::move(cancelled), response);
  });
}

grpc::ServerUnaryReactor* SupermarketHandler::GetRedemption(grpc::CallbackServerContext* context,
                                                            const v1::GetRedemptionRequest* request,
                                                            v1::Redemption* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateRedemptionId("id", request->id()); !s.ok()) return s;
    return Assign(store_.GetRedemption(call.principal.scope_path(), request->id()), response);
  });
}

}  // namespace grassroots::volunteer
