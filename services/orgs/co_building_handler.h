#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/co_building.grpc.pb.h"
#include "services/orgs/co_building_store.h"

namespace grassroots::orgs {

// gRPC edge of co-building projects; "overdue" is judged by the injected clock.
class CoBuildingHandler final : public v1::CoBuildingProjectService::CallbackService {
 public:
  CoBuildingHandler(const ServiceEnv& env, CoBuildingStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* GetCoBuildingProject(grpc::CallbackServerContext* context,
                                                 const v1::GetCoBuildingProjectRequest* request,
                                                 v1::CoBuildingProject* response) override;
  grpc::ServerUnaryReactor* ListCoBuildingProjects(
      grpc::CallbackServerContext* context, const v1::ListCoBuildingProjectsRequest* request,
      v1::ListCoBuildingProjectsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateCoBuildingProjectStatus(
      grpc::CallbackServerContext* context, const v1::UpdateCoBuildingProjectStatusRequest* request,
      v1::CoBuildingProject* response) override;

 private:
  absl::CivilDay Today() const;

  const ServiceEnv& env_;
  CoBuildingStore& store_;
};

}  // namespace grassroots::orgs
