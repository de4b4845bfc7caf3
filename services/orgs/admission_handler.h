#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/server/call.h"
#include "common/server/service_env.h"
#include "grassroots/orgs/v1/admission.grpc.pb.h"
#include "services/orgs/admission_cache.h"
#include "services/orgs/admission_store.h"
#include "services/orgs/area_cache.h"

namespace grassroots::orgs {

// gRPC edge of the community work admission list. Publications go to the
// store and then straight into the cache; reads of the list in force and
// every CheckAdmission are answered from the cache. A place given by id is
// looked up in the area cache when there is one (main wires it), else in
// the database.
class AdmissionHandler final : public v1::AdmissionService::CallbackService {
 public:
  AdmissionHandler(const ServiceEnv& env, AdmissionStore& store, AdmissionCache& cache,
                   const AreaCache* areas)
      : env_(env), store_(store), cache_(cache), areas_(areas) {}

  grpc::ServerUnaryReactor* PublishAdmissionList(grpc::CallbackServerContext* context,
                                                 const v1::PublishAdmissionListRequest* request,
                                                 v1::AdmissionList* response) override;
  grpc::ServerUnaryReactor* GetAdmissionListInForce(
      grpc::CallbackServerContext* context, const v1::GetAdmissionListInForceRequest* request,
      v1::AdmissionList* response) override;
  grpc::ServerUnaryReactor* ListAdmissionListVersions(
      grpc::CallbackServerContext* context, const v1::ListAdmissionListVersionsRequest* request,
      v1::ListAdmissionListVersionsResponse* response) override;
  grpc::ServerUnaryReactor* CheckAdmission(grpc::CallbackServerContext* context,
                                           const v1::CheckAdmissionRequest* request,
                                           v1::CheckAdmissionResponse* response) override;

 private:
  // The place's path from an area id or a path (exactly one), in the scope.
  absl::StatusOr<std::string> PlacePath(const Call& call, const std::string& area_id,
                                        const std::string& area_path);

  const ServiceEnv& env_;
  AdmissionStore& store_;
  AdmissionCache& cache_;
  const AreaCache* areas_;
};

}  // namespace grassroots::orgs
