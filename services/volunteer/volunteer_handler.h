#pragma once

#include "common/server/service_env.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "services/volunteer/business_metrics.h"
#include "services/volunteer/volunteer_store.h"

namespace grassroots::volunteer {

// gRPC edge of volunteers and teams.
class VolunteerHandler final : public v1::VolunteerService::CallbackService {
 public:
  VolunteerHandler(const ServiceEnv& env, VolunteerStore& store, BusinessMetrics& metrics)
      : env_(env), store_(store), metrics_(metrics) {}

  grpc::ServerUnaryReactor* CreateVolunteer(grpc::CallbackServerContext* context,
                                            const v1::CreateVolunteerRequest* request,
                                            v1::Volunteer* response) override;
  grpc::ServerUnaryReactor* GetVolunteer(grpc::CallbackServerContext* context,
                                         const v1::GetVolunteerRequest* request,
                                         v1::Volunteer* response) override;
  grpc::ServerUnaryReactor* ListVolunteers(grpc::CallbackServerContext* context,
                                           const v1::ListVolunteersRequest* request,
                                           v1::ListVolunteersResponse* response) override;
  grpc::ServerUnaryReactor* CreateTeam(grpc::CallbackServerContext* context,
                                       const v1::CreateTeamRequest* request,
                                       v1::Team* response) override;
  grpc::ServerUnaryReactor* GetTeam(grpc::CallbackServerContext* context,
                                    const v1::GetTeamRequest* request, v1::Team* response) override;

 private:
  const ServiceEnv& env_;
  VolunteerStore& store_;
  BusinessMetrics& metrics_;
};

}  // namespace grassroots::volunteer
