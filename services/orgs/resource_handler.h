#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/co_building.grpc.pb.h"
#include "services/orgs/resource_store.h"

namespace grassroots::orgs {

// gRPC edge of resources, needs and their matching.
class ResourceHandler final : public v1::ResourceMatchingService::CallbackService {
 public:
  ResourceHandler(const ServiceEnv& env, ResourceStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* PublishResource(grpc::CallbackServerContext* context,
                                            const v1::PublishResourceRequest* request,
                                            v1::UnitResource* response) override;
  grpc::ServerUnaryReactor* ListResources(grpc::CallbackServerContext* context,
                                          const v1::ListResourcesRequest* request,
                                          v1::ListResourcesResponse* response) override;
  grpc::ServerUnaryReactor* PublishNeed(grpc::CallbackServerContext* context,
                                        const v1::PublishNeedRequest* request,
                                        v1::CommunityNeed* response) override;
  grpc::ServerUnaryReactor* ListNeeds(grpc::CallbackServerContext* context,
                                      const v1::ListNeedsRequest* request,
                                      v1::ListNeedsResponse* response) override;
  grpc::ServerUnaryReactor* MatchNeeds(grpc::CallbackServerContext* context,
                                       const v1::MatchNeedsRequest* request,
                                       v1::MatchNeedsResponse* response) override;
  grpc::ServerUnaryReactor* AcceptMatch(grpc::CallbackServerContext* context,
                                        const v1::AcceptMatchRequest* request,
                                        v1::ResourceMatch* response) override;

 private:
  const ServiceEnv& env_;
  ResourceStore& store_;
};

}  // namespace grassroots::orgs
