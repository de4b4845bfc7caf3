#pragma once

#include "common/server/service_env.h"
#include "common/server/write_batcher.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "services/orgs/area_store.h"

namespace grassroots::orgs {

// gRPC edge of the jurisdiction tree: validates requests, calls the store
// with the caller's scope, maps the result.
class AreaHandler final : public v1::AreaService::CallbackService {
 public:
  AreaHandler(const ServiceEnv& env, AreaStore& store)
      : env_(env),
        store_(store),
        creates_(env, "create_area", [&store](std::vector<CreateRequest>& requests) {
          return store.CreateMany(requests);
        }) {}

  grpc::ServerUnaryReactor* CreateArea(grpc::CallbackServerContext* context,
                                       const v1::CreateAreaRequest* request,
                                       v1::Area* response) override;
  grpc::ServerUnaryReactor* GetArea(grpc::CallbackServerContext* context,
                                    const v1::GetAreaRequest* request, v1::Area* response) override;
  grpc::ServerUnaryReactor* ListAreas(grpc::CallbackServerContext* context,
                                      const v1::ListAreasRequest* request,
                                      v1::ListAreasResponse* response) override;
  grpc::ServerUnaryReactor* UpdateArea(grpc::CallbackServerContext* context,
                                       const v1::UpdateAreaRequest* request,
                                       v1::Area* response) override;
  grpc::ServerUnaryReactor* MoveArea(grpc::CallbackServerContext* context,
                                     const v1::MoveAreaRequest* request,
                                     v1::Area* response) override;
  grpc::ServerUnaryReactor* DeleteArea(grpc::CallbackServerContext* context,
                                       const v1::DeleteAreaRequest* request,
                                       v1::DeleteAreaResponse* response) override;
  grpc::ServerReadReactor<v1::ImportAreasRequest>* ImportAreas(
      grpc::CallbackServerContext* context, v1::ImportAreasResponse* response) override;

 private:
  const ServiceEnv& env_;
  AreaStore& store_;
  // Concurrent CreateArea calls share transactions (AreaStore::CreateMany).
  WriteBatcher<CreateRequest, v1::Area> creates_;
};

}  // namespace grassroots::orgs
