#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/compound.grpc.pb.h"
#include "services/grid/compound_store.h"

namespace grassroots::grid {

// gRPC edge of compounds.
class CompoundHandler final : public v1::CompoundService::CallbackService {
 public:
  CompoundHandler(const ServiceEnv& env, CompoundStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* CreateCompound(grpc::CallbackServerContext* context,
                                           const v1::CreateCompoundRequest* request,
                                           v1::Compound* response) override;
  grpc::ServerUnaryReactor* GetCompound(grpc::CallbackServerContext* context,
                                        const v1::GetCompoundRequest* request,
                                        v1::Compound* response) override;
  grpc::ServerUnaryReactor* ListCompounds(grpc::CallbackServerContext* context,
                                          const v1::ListCompoundsRequest* request,
                                          v1::ListCompoundsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateCompound(grpc::CallbackServerContext* context,
                                           const v1::UpdateCompoundRequest* request,
                                           v1::Compound* response) override;

 private:
  const ServiceEnv& env_;
  CompoundStore& store_;
};

}  // namespace grassroots::grid
