#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "services/orgs/formation_rules.h"
#include "services/orgs/formation_threshold_store.h"
#include "services/orgs/organisation_store.h"

namespace grassroots::orgs {

// gRPC edge of the organisation tree: validates requests, calls the store
// with the caller's scope, maps the result.
class OrganisationHandler final : public v1::OrganisationService::CallbackService {
 public:
  // With `regions`, work items are judged by each organisation's region's
  // thresholds (and `regions`' defaults); without, by `thresholds`.
  OrganisationHandler(const ServiceEnv& env, OrganisationStore& store,
                      FormationThresholds thresholds = {},
                      const FormationThresholdStore* regions = nullptr)
      : env_(env), store_(store), thresholds_(thresholds), regions_(regions) {}

  grpc::ServerUnaryReactor* CreateOrganisation(grpc::CallbackServerContext* context,
                                               const v1::CreateOrganisationRequest* request,
                                               v1::Organisation* response) override;
  grpc::ServerUnaryReactor* GetOrganisation(grpc::CallbackServerContext* context,
                                            const v1::GetOrganisationRequest* request,
                                            v1::Organisation* response) override;
  grpc::ServerUnaryReactor* ListOrganisations(grpc::CallbackServerContext* context,
                                              const v1::ListOrganisationsRequest* request,
                                              v1::ListOrganisationsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateOrganisation(grpc::CallbackServerContext* context,
                                               const v1::UpdateOrganisationRequest* request,
                                               v1::Organisation* response) override;
  grpc::ServerUnaryReactor* MoveOrganisation(grpc::CallbackServerContext* context,
                                             const v1::MoveOrganisationRequest* request,
                                             v1::Organisation* response) override;
  grpc::ServerUnaryReactor* ListFormationWorkItems(
      grpc::CallbackServerContext* context, const v1::ListFormationWorkItemsRequest* request,
      v1::ListFormationWorkItemsResponse* response) override;
  grpc::ServerReadReactor<common::v1::ImportChunk>* ImportOrganisations(
      grpc::CallbackServerContext* context, common::v1::ImportResult* response) override;
  grpc::ServerUnaryReactor* DissolveOrganisation(grpc::CallbackServerContext* context,
                                                 const v1::DissolveOrganisationRequest* request,
                                                 v1::Organisation* response) override;

 private:
  const ServiceEnv& env_;
  OrganisationStore& store_;
  const FormationThresholds thresholds_;
  const FormationThresholdStore* const regions_;
};

}  // namespace grassroots::orgs
