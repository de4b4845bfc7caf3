#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/resident_unit.grpc.pb.h"
#include "services/orgs/resident_unit_store.h"

namespace grassroots::orgs {

// gRPC edge of the resident unit register: validates requests (the
// liaison's details normalised before they are encrypted), calls the store
// with the caller's scope, maps the result.
class ResidentUnitHandler final : public v1::ResidentUnitService::CallbackService {
 public:
  ResidentUnitHandler(const ServiceEnv& env, ResidentUnitStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* CreateResidentUnit(grpc::CallbackServerContext* context,
                                               const v1::CreateResidentUnitRequest* request,
                                               v1::ResidentUnit* response) override;
  grpc::ServerUnaryReactor* GetResidentUnit(grpc::CallbackServerContext* context,
                                            const v1::GetResidentUnitRequest* request,
                                            v1::ResidentUnit* response) override;
  grpc::ServerUnaryReactor* ListResidentUnits(grpc::CallbackServerContext* context,
                                              const v1::ListResidentUnitsRequest* request,
                                              v1::ListResidentUnitsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateResidentUnit(grpc::CallbackServerContext* context,
                                               const v1::UpdateResidentUnitRequest* request,
                                               v1::ResidentUnit* response) override;
  grpc::ServerUnaryReactor* WithdrawResidentUnit(grpc::CallbackServerContext* context,
                                                 const v1::WithdrawResidentUnitRequest* request,
                                                 v1::ResidentUnit* response) override;
  grpc::ServerUnaryReactor* RevealUnitLiaison(grpc::CallbackServerContext* context,
                                              const v1::RevealUnitLiaisonRequest* request,
                                              v1::UnitLiaison* response) override;

 private:
  const ServiceEnv& env_;
  ResidentUnitStore& store_;
};

}  // namespace grassroots::orgs
