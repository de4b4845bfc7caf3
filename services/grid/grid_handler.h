#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/grid.grpc.pb.h"
#include "services/grid/area_directory.h"
#include "services/grid/grid_store.h"

namespace grassroots::grid {

// gRPC edge of grids. Creating one asks orgs for its community (outside
// any transaction); nothing else here needs orgs.
class GridHandler final : public v1::GridService::CallbackService {
 public:
  GridHandler(const ServiceEnv& env, GridStore& store, const AreaDirectory& areas)
      : env_(env), store_(store), areas_(areas) {}

  grpc::ServerUnaryReactor* CreateGrid(grpc::CallbackServerContext* context,
                                       const v1::CreateGridRequest* request,
                                       v1::Grid* response) override;
  grpc::ServerUnaryReactor* GetGrid(grpc::CallbackServerContext* context,
                                    const v1::GetGridRequest* request, v1::Grid* response) override;
  grpc::ServerUnaryReactor* ListGrids(grpc::CallbackServerContext* context,
                                      const v1::ListGridsRequest* request,
                                      v1::ListGridsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateGrid(grpc::CallbackServerContext* context,
                                       const v1::UpdateGridRequest* request,
                                       v1::Grid* response) override;

 private:
  const ServiceEnv& env_;
  GridStore& store_;
  const AreaDirectory& areas_;
};

}  // namespace grassroots::grid
