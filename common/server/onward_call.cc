#include "common/server/onward_call.h"

#include <string>

#include "absl/time/clock.h"

namespace grassroots {

void PrepareOnwardCall(const Call& call, absl::Duration deadline, grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  context.AddMetadata(std::string(kPrincipalMetadataKey), call.principal_token);
  if (!call.log.request_id.empty()) {
    context.AddMetadata(std::string(kRequestIdMetadataKey), call.log.request_id);
  }
}

}  // namespace grassroots
