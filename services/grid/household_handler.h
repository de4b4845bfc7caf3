#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/household.grpc.pb.h"
#include "services/grid/household_store.h"

namespace grassroots::grid {

// gRPC edge of households: validates and normalises the head's personal
// data before the store encrypts it.
class HouseholdHandler final : public v1::HouseholdService::CallbackService {
 public:
  HouseholdHandler(const ServiceEnv& env, HouseholdStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* CreateHousehold(grpc::CallbackServerContext* context,
                                            const v1::CreateHouseholdRequest* request,
                                            v1::Household* response) override;
  grpc::ServerUnaryReactor* GetHousehold(grpc::CallbackServerContext* context,
                                         const v1::GetHouseholdRequest* request,
                                         v1::Household* response) override;
  grpc::ServerUnaryReactor* ListHouseholds(grpc::CallbackServerContext* context,
                                           const v1::ListHouseholdsRequest* request,
                                           v1::ListHouseholdsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateHousehold(grpc::CallbackServerContext* context,
                                            const v1::UpdateHouseholdRequest* request,
                                            v1::Household* response) override;
  grpc::ServerReadReactor<common::v1::ImportChunk>* ImportHouseholds(
      grpc::CallbackServerContext* context, common::v1::ImportResult* response) override;
  grpc::ServerUnaryReactor* FindHouseholds(grpc::CallbackServerContext* context,
                                           const v1::FindHouseholdsRequest* request,
                                           v1::FindHouseholdsResponse* response) override;
  grpc::ServerUnaryReactor* RevealHouseholdContact(grpc::CallbackServerContext* context,
                                                   const v1::RevealHouseholdContactRequest* request,
                                                   v1::HouseholdContact* response) override;

 private:
  const ServiceEnv& env_;
  HouseholdStore& store_;
};

}  // namespace grassroots::grid
