#pragma once

#include "common/server/service_env.h"
#include "grassroots/volunteer/v1/wish.grpc.pb.h"
#include "services/volunteer/business_metrics.h"
#include "services/volunteer/wish_store.h"

namespace grassroots::volunteer {

// gRPC edge of micro-wishes.
class WishHandler final : public v1::WishService::CallbackService {
 public:
  WishHandler(const ServiceEnv& env, WishStore& store, BusinessMetrics& metrics)
      : env_(env), store_(store), metrics_(metrics) {}

  grpc::ServerUnaryReactor* CollectWish(grpc::CallbackServerContext* context,
                                        const v1::CollectWishRequest* request,
                                        v1::Wish* response) override;
  grpc::ServerUnaryReactor* VerifyWish(grpc::CallbackServerContext* context,
                                       const v1::VerifyWishRequest* request,
                                       v1::Wish* response) override;
  grpc::ServerUnaryReactor* PublishWish(grpc::CallbackServerContext* context,
                                        const v1::WishRequest* request,
                                        v1::Wish* response) override;
  grpc::ServerUnaryReactor* ClaimWish(grpc::CallbackServerContext* context,
                                      const v1::ClaimWishRequest* request,
                                      v1::Wish* response) override;
  grpc::ServerUnaryReactor* FulfilWish(grpc::CallbackServerContext* context,
                                       const v1::FulfilWishRequest* request,
                                       v1::Wish* response) override;
  grpc::ServerUnaryReactor* ConfirmWish(grpc::CallbackServerContext* context,
                                        const v1::ConfirmWishRequest* request,
                                        v1::Wish* response) override;
  grpc::ServerUnaryReactor* GetWish(grpc::CallbackServerContext* context,
                                    const v1::WishRequest* request, v1::Wish* response) override;
  grpc::ServerUnaryReactor* ListWishes(grpc::CallbackServerContext* context,
                                       const v1::ListWishesRequest* request,
                                       v1::ListWishesResponse* response) override;

 private:
  const ServiceEnv& env_;
  WishStore& store_;
  BusinessMetrics& metrics_;
};

}  // namespace grassroots::volunteer
