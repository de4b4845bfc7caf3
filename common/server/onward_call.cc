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

void PrepareServiceCall(grpc::ClientContext& context, const PrincipalCodec& principals,
                        std::string_view id, std::string_view role, absl::Duration deadline) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  common::v1::Principal principal;
  principal.set_id(std::string(id));
  principal.add_roles(std::string(role));
  principal.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + absl::Minutes(5)));
  context.AddMetadata(std::string(kPrincipalMetadataKey), principals.Sign(principal));
}

}  // namespace grassroots
