#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/building.grpc.pb.h"
#include "services/grid/building_store.h"
#include "services/grid/unit_store.h"

namespace grassroots::grid {

// gRPC edge of buildings and their units.
class BuildingHandler final : public v1::BuildingService::CallbackService {
 public:
  BuildingHandler(const ServiceEnv& env, BuildingStore& buildings, UnitStore& units)
      : env_(env), buildings_(buildings), units_(units) {}

  grpc::ServerUnaryReactor* CreateBuilding(grpc::CallbackServerContext* context,
                                           const v1::CreateBuildingRequest* request,
                                           v1::Building* response) override;
  grpc::ServerUnaryReactor* GetBuilding(grpc::CallbackServerContext* context,
                                        const v1::GetBuildingRequest* request,
                                        v1::Building* response) override;
  grpc::ServerUnaryReactor* ListBuildings(grpc::CallbackServerContext* context,
                                          const v1::ListBuildingsRequest* request,
                                          v1::ListBuildingsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateBuilding(grpc::CallbackServerContext* context,
                                           const v1::UpdateBuildingRequest* request,
                                           v1::Building* response) override;
  grpc::ServerUnaryReactor* CreateUnit(grpc::CallbackServerContext* context,
                                       const v1::CreateUnitRequest* request,
                                       v1::Unit* response) override;
  grpc::ServerUnaryReactor* GetUnit(grpc::CallbackServerContext* context,
                                    const v1::GetUnitRequest* request, v1::Unit* response) override;
  grpc::ServerUnaryReactor* ListUnits(grpc::CallbackServerContext* context,
                                      const v1::ListUnitsRequest* request,
                                      v1::ListUnitsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateUnit(grpc::CallbackServerContext* context,
                                       const v1::UpdateUnitRequest* request,
                                       v1::Unit* response) override;

 private:
  const ServiceEnv& env_;
  BuildingStore& buildings_;
  UnitStore& units_;
};

}  // namespace grassroots::grid
