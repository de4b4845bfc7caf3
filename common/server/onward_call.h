#pragma once

#include <grpcpp/grpcpp.h>

#include <string_view>

#include "absl/time/time.h"
#include "common/auth/principal_codec.h"
#include "common/server/call.h"

namespace grassroots {

// A call to another service on the caller's behalf: its deadline, the
// caller's signed principal as it came (so the other applies the caller's
// scope) and the request id (so the logs of both join up).
void PrepareOnwardCall(const Call& call, absl::Duration deadline, grpc::ClientContext& context);

// A call a service makes as itself, on no caller's behalf (a feed
// follower, an outbox relay, a lookup no caller's roles would allow): its
// deadline and the principal `id` with the one `role`, for the whole city,
// signed with `principals` and valid for five minutes.
void PrepareServiceCall(grpc::ClientContext& context, const PrincipalCodec& principals,
                        std::string_view id, std::string_view role, absl::Duration deadline);

}  // namespace grassroots
