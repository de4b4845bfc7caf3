#pragma once

#include "common/server/service_env.h"
#include "grassroots/dualreg/v1/order.grpc.pb.h"
#include "services/dualreg/business_metrics.h"
#include "services/dualreg/order_store.h"
#include "services/dualreg/orgs_directory.h"

namespace grassroots::dualreg {

// gRPC edge of the three lists: validates, checks the community in orgs on
// create, works out who the caller acts as, calls the store, and counts the
// orders placed and confirmed.
class OrderHandler final : public v1::OrderService::CallbackService {
 public:
  OrderHandler(const ServiceEnv& env, OrderStore& store, const OrgsDirectory& orgs,
               BusinessMetrics& metrics)
      : env_(env), store_(store), orgs_(orgs), metrics_(metrics) {}

  grpc::ServerUnaryReactor* CreateOrder(grpc::CallbackServerContext* context,
                                        const v1::CreateOrderRequest* request,
                                        v1::Order* response) override;
  grpc::ServerUnaryReactor* DispatchOrder(grpc::CallbackServerContext* context,
                                          const v1::DispatchOrderRequest* request,
                                          v1::Order* response) override;
  grpc::ServerUnaryReactor* TakeOrder(grpc::CallbackServerContext* context,
                                      const v1::TakeOrderRequest* request,
                                      v1::Order* response) override;
  grpc::ServerUnaryReactor* CompleteOrder(grpc::CallbackServerContext* context,
                                          const v1::CompleteOrderRequest* request,
                                          v1::Order* response) override;
  grpc::ServerUnaryReactor* ConfirmOrder(grpc::CallbackServerContext* context,
                                         const v1::ConfirmOrderRequest* request,
                                         v1::Order* response) override;
  grpc::ServerUnaryReactor* RateOrder(grpc::CallbackServerContext* context,
                                      const v1::RateOrderRequest* request,
                                      v1::Order* response) override;
  grpc::ServerUnaryReactor* GetOrder(grpc::CallbackServerContext* context,
                                     const v1::GetOrderRequest* request,
                                     v1::Order* response) override;
  grpc::ServerUnaryReactor* ListOrders(grpc::CallbackServerContext* context,
                                       const v1::ListOrdersRequest* request,
                                       v1::ListOrdersResponse* response) override;
  grpc::ServerUnaryReactor* GetServiceFigures(grpc::CallbackServerContext* context,
                                              const v1::GetServiceFiguresRequest* request,
                                              v1::ServiceFigures* response) override;

 private:
  const ServiceEnv& env_;
  OrderStore& store_;
  const OrgsDirectory& orgs_;
  BusinessMetrics& metrics_;
};

// One round of the overdue sweep: flags at most `limit` orders due by
// write.now and counts them.
absl::Status SweepOverdueOrders(OrderStore& store, BusinessMetrics& metrics,
                                const WriteContext& write, int limit);

}  // namespace grassroots::dualreg
