#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/place.grpc.pb.h"
#include "services/orgs/place_store.h"

namespace grassroots::orgs {

// gRPC edge of places, what organisations cover, and the coverage report.
class PlaceHandler final : public v1::PlaceService::CallbackService {
 public:
  PlaceHandler(const ServiceEnv& env, PlaceStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* CreatePlace(grpc::CallbackServerContext* context,
                                        const v1::CreatePlaceRequest* request,
                                        v1::Place* response) override;
  grpc::ServerUnaryReactor* GetPlace(grpc::CallbackServerContext* context,
                                     const v1::GetPlaceRequest* request,
                                     v1::Place* response) override;
  grpc::ServerUnaryReactor* ListPlaces(grpc::CallbackServerContext* context,
                                       const v1::ListPlacesRequest* request,
                                       v1::ListPlacesResponse* response) override;
  grpc::ServerUnaryReactor* UpdatePlace(grpc::CallbackServerContext* context,
                                        const v1::UpdatePlaceRequest* request,
                                        v1::Place* response) override;
  grpc::ServerReadReactor<common::v1::ImportChunk>* ImportPlaces(
      grpc::CallbackServerContext* context, common::v1::ImportResult* response) override;
  grpc::ServerUnaryReactor* CoverPlace(grpc::CallbackServerContext* context,
                                       const v1::CoverPlaceRequest* request,
                                       v1::PlaceCoverage* response) override;
  grpc::ServerUnaryReactor* UncoverPlace(grpc::CallbackServerContext* context,
                                         const v1::UncoverPlaceRequest* request,
                                         v1::PlaceCoverage* response) override;
  grpc::ServerUnaryReactor* SetMemberPlace(grpc::CallbackServerContext* context,
                                           const v1::SetMemberPlaceRequest* request,
                                           v1::MemberPlace* response) override;
  grpc::ServerUnaryReactor* ListUncoveredPlaces(grpc::CallbackServerContext* context,
                                                const v1::ListUncoveredPlacesRequest* request,
                                                v1::ListUncoveredPlacesResponse* response) override;

 private:
  const ServiceEnv& env_;
  PlaceStore& store_;
};

}  // namespace grassroots::orgs
