#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace grassroots::cli {

// The methods a server declares through gRPC server reflection
// (grpc.reflection.v1alpha), one line each:
//   grassroots.orgs.v1.AreaService/GetArea(GetAreaRequest) returns (Area)
// `decorate` adds credentials to the call.
absl::StatusOr<std::vector<std::string>> ListMethods(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::function<void(grpc::ClientContext&)>& decorate);

}  // namespace grassroots::cli
