#pragma once

#include "common/server/service_env.h"
#include "grassroots/dualreg/v1/pairing.grpc.pb.h"
#include "grassroots/dualreg/v1/post.grpc.pb.h"
#include "services/dualreg/business_metrics.h"
#include "services/dualreg/orgs_directory.h"
#include "services/dualreg/post_store.h"

namespace grassroots::dualreg {

// gRPC edge of service posts and their claims (counted).
class PostHandler final : public v1::PostService::CallbackService {
 public:
  PostHandler(const ServiceEnv& env, PostStore& store, const OrgsDirectory& orgs,
              BusinessMetrics& metrics)
      : env_(env), store_(store), orgs_(orgs), metrics_(metrics) {}

  grpc::ServerUnaryReactor* CreatePost(grpc::CallbackServerContext* context,
                                       const v1::CreatePostRequest* request,
                                       v1::Post* response) override;
  grpc::ServerUnaryReactor* ClaimPost(grpc::CallbackServerContext* context,
                                      const v1::ClaimPostRequest* request,
                                      v1::PostClaim* response) override;
  grpc::ServerUnaryReactor* ListPosts(grpc::CallbackServerContext* context,
                                      const v1::ListPostsRequest* request,
                                      v1::ListPostsResponse* response) override;

 private:
  const ServiceEnv& env_;
  PostStore& store_;
  const OrgsDirectory& orgs_;
  BusinessMetrics& metrics_;
};

// gRPC edge of pairings and their visits (both counted).
class PairingHandler final : public v1::PairingService::CallbackService {
 public:
  PairingHandler(const ServiceEnv& env, PostStore& store, BusinessMetrics& metrics)
      : env_(env), store_(store), metrics_(metrics) {}

  grpc::ServerUnaryReactor* CreatePairing(grpc::CallbackServerContext* context,
                                          const v1::CreatePairingRequest* request,
                                          v1::Pairing* response) override;
  grpc::ServerUnaryReactor* RecordVisit(grpc::CallbackServerContext* context,
                                        const v1::RecordVisitRequest* request,
                                        v1::Pairing* response) override;
  grpc::ServerUnaryReactor* EndPairing(grpc::CallbackServerContext* context,
                                       const v1::EndPairingRequest* request,
                                       v1::Pairing* response) override;
  grpc::ServerUnaryReactor* ListPairingsWithoutRecentVisit(
      grpc::CallbackServerContext* context,
      const v1::ListPairingsWithoutRecentVisitRequest* request,
      v1::ListPairingsWithoutRecentVisitResponse* response) override;

 private:
  const ServiceEnv& env_;
  PostStore& store_;
  BusinessMetrics& metrics_;
};

}  // namespace grassroots::dualreg
