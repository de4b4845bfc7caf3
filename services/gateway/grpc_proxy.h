#pragma once

#include <grpcpp/generic/async_generic_service.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/principal_codec.h"
#include "common/log/logger.h"
#include "common/time/clock.h"
#include "services/gateway/api_keys.h"
#include "services/gateway/principal_tokens.h"
#include "services/gateway/routes.h"

namespace grassroots::gateway {

// Metadata key a system caller presents its API key in.
inline constexpr char kApiKeyMetadataKey[] = "x-api-key";

// The gRPC edge: every call to a grassroots method is authenticated by its
// API key, given a principal signed by the gateway (whatever principal the
// caller sent is dropped: only x-request-id and traceparent pass through),
// and forwarded to the owning service as bytes, without parsing the message.
// Unary methods only in this version: streaming methods are refused with
// UNIMPLEMENTED until the streaming proxy exists.
class GrpcProxy final : public grpc::CallbackGenericService {
 public:
  GrpcProxy(const Routes& routes, ApiKeys& keys, const PrincipalCodec& principals,
            const Clock& clock, Logger& log, prometheus::Registry& registry,
            absl::Duration max_deadline)
      : routes_(routes),
        keys_(keys),
        tokens_(principals, clock),
        log_(log),
        max_deadline_(max_deadline),
        upstream_errors_(prometheus::BuildCounter()
                             .Name("grassroots_gateway_upstream_errors_total")
                             .Help("Forwarded calls a backend answered with an error or not at all")
                             .Register(registry)) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

  // OK for a routed unary method the linked protos declare; remembered per
  // method so the descriptor pool is asked once.
  absl::Status CheckMethod(const std::string& method);
  // One JSON line per call: request id, caller, method, code, latency, bytes.
  void LogAccess(const grpc::GenericCallbackServerContext& context, const std::string& caller,
                 const grpc::Status& status, absl::Duration took, size_t request_bytes,
                 size_t response_bytes);
  void NoteUpstreamError(const std::string& method, const grpc::Status& status);

  const Routes& routes() const { return routes_; }
  ApiKeys& keys() { return keys_; }
  PrincipalTokens& tokens() { return tokens_; }
  Logger& log() { return log_; }
  absl::Duration max_deadline() const { return max_deadline_; }

 private:
  const Routes& routes_;
  ApiKeys& keys_;
  PrincipalTokens tokens_;
  Logger& log_;
  const absl::Duration max_deadline_;
  prometheus::Family<prometheus::Counter>& upstream_errors_;
  absl::Mutex methods_mu_;
  absl::flat_hash_map<std::string, absl::Status> methods_ ABSL_GUARDED_BY(methods_mu_);
};

}  // namespace grassroots::gateway
