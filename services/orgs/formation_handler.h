#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/place.grpc.pb.h"
#include "services/orgs/formation_threshold_store.h"

namespace grassroots::orgs {

// gRPC edge of regions' own formation thresholds.
class FormationHandler final : public v1::FormationService::CallbackService {
 public:
  FormationHandler(const ServiceEnv& env, FormationThresholdStore& store)
      : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* GetFormationThresholds(grpc::CallbackServerContext* context,
                                                   const v1::GetFormationThresholdsRequest* request,
                                                   v1::RegionThresholds* response) override;
  grpc::ServerUnaryReactor* SetFormationThresholds(grpc::CallbackServerContext* context,
                                                   const v1::SetFormationThresholdsRequest* request,
                                                   v1::RegionThresholds* response) override;

 private:
  const ServiceEnv& env_;
  FormationThresholdStore& store_;
};

}  // namespace grassroots::orgs
