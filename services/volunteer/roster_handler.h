#pragma once

#include "common/server/service_env.h"
#include "grassroots/volunteer/v1/roster.grpc.pb.h"
#include "services/volunteer/roster_store.h"

namespace grassroots::volunteer {

// gRPC edge of the community workers' roster.
class RosterHandler final : public v1::RosterService::CallbackService {
 public:
  RosterHandler(const ServiceEnv& env, RosterStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* SetWorkingHours(grpc::CallbackServerContext* context,
                                            const v1::SetWorkingHoursRequest* request,
                                            v1::WorkingHours* response) override;
  grpc::ServerUnaryReactor* GetWorkingHours(grpc::CallbackServerContext* context,
                                            const v1::GetWorkingHoursRequest* request,
                                            v1::WorkingHours* response) override;
  grpc::ServerUnaryReactor* ClearWorkingHours(grpc::CallbackServerContext* context,
                                              const v1::GetWorkingHoursRequest* request,
                                              v1::WorkingHours* response) override;

 private:
  const ServiceEnv& env_;
  RosterStore& store_;
};

}  // namespace grassroots::volunteer
