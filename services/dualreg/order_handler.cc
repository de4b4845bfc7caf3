#include "services/dualreg/order_handler.h"

#include "common/auth/scope.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/text/text_rules.h"
#include "services/dualreg/acting_member.h"
#include "services/dualreg/order_rules.h"

namespace grassroots::dualreg {
namespace {

Actor ActorOf(const Call& call) {
  return Actor{ActingMember(call.principal), call.principal.id(),
               HasRole(call.principal, "dualreg.admin")};
}

}  // namespace

grpc::ServerUnaryReactor* OrderHandler::CreateOrder(grpc::CallbackServerContext* context,
                                                    const v1::CreateOrderRequest* request,
                                                    v1::Order* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateNewOrder(request->order()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    auto community = orgs_.Community(call, "order.community_id", request->order().community_id());
    if (!community.ok()) return community.status();
    v1::Order order = request->order();
    order.set_community_path(community->path);
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    auto made = store_.Create(call.principal.scope_path(), write, order);
    if (made.ok() && MadeBy(made->create_time(), write)) {
      metrics_.OrderPlaced(made->community_path());
    }
    return Assign(std::move(made), response);
  });
}

grpc::ServerUnaryReactor* OrderHandler::DispatchOrder(grpc::CallbackServerContext* context,
                                                      const v1::DispatchOrderRequest* request,
                                                      v1::Order* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateDispatch(*request); !s.ok()) return s;
    return Assign(store_.Dispatch(call.principal.scope_path(), call.Write(*env_.clock), *request),
                  response);
  });
}

grpc::ServerUnaryReactor* OrderHandler::TakeOrder(grpc::CallbackServerContext* context,
                                                  const v1::TakeOrderRequest* request,
                                                  v1::Order* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = RequireId("registration_id", request->registration_id()); !s.ok()) return s;
    return Assign(
        store_.Take(call.principal.scope_path(), call.Write(*env_.clock), *request, ActorOf(call)),
        response);
  });
}

grpc::ServerUnaryReactor* OrderHandler::CompleteOrder(grpc::CallbackServerContext* context,
                                                      const v1::CompleteOrderRequest* request,
                                                      v1::Order* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Complete(call.principal.scope_path(), call.Write(*env_.clock), *request,
                                  ActorOf(call)),
                  response);
  });
}

grpc::ServerUnaryReactor* OrderHandler::ConfirmOrder(grpc::CallbackServerContext* context,
                                                     const v1::ConfirmOrderRequest* request,
                                                     v1::Order* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    const WriteContext write = call.Write(*env_.clock);
    auto confirmed =
        store_.Confirm(call.principal.scope_path(), write, request->id(), ActorOf(call));
    if (confirmed.ok() && MadeBy(confirmed->update_time(), write)) {
      metrics_.OrderConfirmed(confirmed->community_path(), confirmed->minutes());
    }
    return Assign(std::move(confirmed), response);
  });
}

grpc::ServerUnaryReactor* OrderHandler::RateOrder(grpc::CallbackServerContext* context,
                                                  const v1::RateOrderRequest* request,
                                                  v1::Order* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateText("comment", request->comment(), 500, false); !s.ok()) return s;
    return Assign(
        store_.Rate(call.principal.scope_path(), call.Write(*env_.clock), *request, ActorOf(call)),
        response);
  });
}

grpc::ServerUnaryReactor* OrderHandler::GetOrder(grpc::CallbackServerContext* context,
                                                 const v1::GetOrderRequest* request,
                                                 v1::Order* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* OrderHandler::ListOrders(grpc::CallbackServerContext* context,
                                                   const v1::ListOrdersRequest* request,
                                                   v1::ListOrdersResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    return Assign(store_.List(call.principal.scope_path(), *request), response);
  });
}

grpc::ServerUnaryReactor* OrderHandler::GetServiceFigures(
    grpc::CallbackServerContext* context, const v1::GetServiceFiguresRequest* request,
    v1::ServiceFigures* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    return Assign(store_.Figures(call.principal.scope_path(), request->path()), response);
  });
}

absl::Status SweepOverdueOrders(OrderStore& store, BusinessMetrics& metrics,
                                const WriteContext& write, int limit) {
  auto flagged = store.FlagOverdue(write, limit);
  if (!flagged.ok()) return flagged.status();
  metrics.OrdersFlaggedOverdue(*flagged);
  return absl::OkStatus();
}

}  // namespace grassroots::dualreg
