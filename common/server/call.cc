#include "common/server/call.h"

#include "absl/strings/string_view.h"

namespace grassroots {

absl::StatusOr<Call> Authenticate(const grpc::CallbackServerContext& context,
                                  const ServiceEnv& env) {
  if (env.serving != nullptr && !env.serving->HasBeenNotified()) {
    return Unavailable("SERVICE_STARTING",
                       "the service is starting (its database is not ready yet); retry shortly");
  }
  const auto& metadata = context.client_metadata();
  auto token =
      metadata.find(grpc::string_ref(kPrincipalMetadataKey.data(), kPrincipalMetadataKey.size()));
  if (token == metadata.end()) {
    return Unauthenticated("PRINCIPAL_MISSING", "caller is not authenticated");
  }
  auto principal = env.principals->Verify(
      absl::string_view(token->second.data(), token->second.size()), env.clock->Now());
  if (!principal.ok()) return principal.status();
  Call call;
  call.principal = *std::move(principal);
  call.principal_token.assign(token->second.data(), token->second.size());
  call.log.principal = call.principal.id();
  auto request_id =
      metadata.find(grpc::string_ref(kRequestIdMetadataKey.data(), kRequestIdMetadataKey.size()));
  if (request_id != metadata.end()) {
    call.log.request_id.assign(request_id->second.data(), request_id->second.size());
  }
  return call;
}

void LogIfInternal(const ServiceEnv& env, const Call* call, const absl::Status& status) {
  if (status.ok()) return;
  const auto code = status.code();
  if (code != absl::StatusCode::kInternal && code != absl::StatusCode::kUnknown &&
      code != absl::StatusCode::kDataLoss) {
    return;
  }
  env.log->Log(Logger::Level::kError, call != nullptr ? &call->log : nullptr, "request failed",
               {{"error", status.ToString()}});
}

}  // namespace grassroots
