#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/resident_unit.grpc.pb.h"
#include "services/orgs/big_committee_store.h"

namespace grassroots::orgs {

// gRPC edge of the big party committees' member units.
class BigCommitteeHandler final : public v1::BigPartyCommitteeService::CallbackService {
 public:
  BigCommitteeHandler(const ServiceEnv& env, BigCommitteeStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* AddCommitteeUnit(grpc::CallbackServerContext* context,
                                             const v1::AddCommitteeUnitRequest* request,
                                             v1::BigCommitteeSeat* response) override;
  grpc::ServerUnaryReactor* RemoveCommitteeUnit(grpc::CallbackServerContext* context,
                                                const v1::RemoveCommitteeUnitRequest* request,
                                                v1::BigCommitteeSeat* response) override;
  grpc::ServerUnaryReactor* ListCommitteeUnits(grpc::CallbackServerContext* context,
                                               const v1::ListCommitteeUnitsRequest* request,
                                               v1::ListCommitteeUnitsResponse* response) override;

 private:
  const ServiceEnv& env_;
  BigCommitteeStore& store_;
};

}  // namespace grassroots::orgs
