#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"
#include "common/server/call.h"

namespace grassroots {

// A call to another service on the caller's behalf: its deadline, the
// caller's signed principal as it came (so the other applies the caller's
// scope) and the request id (so the logs of both join up).
void PrepareOnwardCall(const Call& call, absl::Duration deadline, grpc::ClientContext& context);

}  // namespace grassroots
