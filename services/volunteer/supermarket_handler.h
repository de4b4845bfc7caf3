#pragma once

#include "common/server/service_env.h"
#include "grassroots/volunteer/v1/supermarket.grpc.pb.h"
#include "services/volunteer/business_metrics.h"
#include "services/volunteer/supermarket_store.h"

namespace grassroots::volunteer {

// gRPC edge of the love supermarket.
class SupermarketHandler final : public v1::SupermarketService::CallbackService {
 public:
  SupermarketHandler(const ServiceEnv& env, SupermarketStore& store, BusinessMetrics& metrics)
      : env_(env), store_(store), metrics_(metrics) {}

  grpc::ServerUnaryReactor* CreateGood(grpc::CallbackServerContext* context,
                                       const v1::CreateGoodRequest* request,
                                       v1::Good* response) override;
  grpc::ServerUnaryReactor* GetGood(grpc::CallbackServerContext* context,
                                    const v1::GetGoodRequest* request, v1::Good* response) override;
  grpc::ServerUnaryReactor* ListGoods(grpc::CallbackServerContext* context,
                                      const v1::ListGoodsRequest* request,
                                      v1::ListGoodsResponse* response) override;
  grpc::ServerUnaryReactor* RestockGood(grpc::CallbackServerContext* context,
                                        const v1::RestockGoodRequest* request,
                                        v1::Good* response) override;
  grpc::ServerUnaryReactor* Redeem(grpc::CallbackServerContext* context,
                                   const v1::RedeemRequest* request,
                                   v1::Redemption* response) override;
  grpc::ServerUnaryReactor* CancelRedemption(grpc::CallbackServerContext* context,
                                             const v1::CancelRedemptionRequest* request,
                                             v1::Redemption* response) override;
  grpc::ServerUnaryReactor* GetRedemption(grpc::CallbackServerContext* context,
                                          const v1::GetRedemptionRequest* request,
                                          v1::Redemption* response) override;

 private:
  const ServiceEnv& env_;
  SupermarketStore& store_;
  BusinessMetrics& metrics_;
};

}  // namespace grassroots::volunteer
