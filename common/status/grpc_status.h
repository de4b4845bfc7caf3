#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace grassroots {

// The one place where an internal absl::Status becomes what a caller sees.
// The reason and field travel in a grassroots.common.v1.RpcStatus in the
// error details (trailer grpc-status-details-bin).
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients inside the suite and for tests.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace grassroots
