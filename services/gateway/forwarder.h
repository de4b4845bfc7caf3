#pragma once

#include <grpcpp/grpcpp.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <chrono>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/gateway/call_gate.h"
#include "services/gateway/principal_tokens.h"

namespace grassroots::gateway {

// Request metadata that passes through to the backend.
struct PassThrough {
  std::string request_id;   // x-request-id
  std::string traceparent;  // W3C trace context
  // The caller's deadline, if any; capped by the gateway's max deadline.
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
};

// The caller's x-request-id, or a new one when it sent none (or one over 128
// bytes), so every call can be followed through the gateway's and the
// services' logs. Both edges send it back to the caller.
std::string RequestIdOr(absl::string_view given);

// Sends an admitted call's bytes to its backend as they are, with the
// principal the gateway signs (nothing the caller sent claims identity
// upstream). Shared by the gRPC and the JSON edge.
class Forwarder {
 public:
  Forwarder(PrincipalTokens& tokens, absl::Duration max_deadline, prometheus::Registry& registry)
      : tokens_(tokens),
        max_deadline_(max_deadline),
        upstream_errors_(prometheus::BuildCounter()
                             .Name("grassroots_gateway_upstream_errors_total")
                             .Help("Forwarded calls a backend answered with an error or not at all")
                             .Register(registry)) {}

  // `upstream`, `request` and `response` must live until `done` has run.
  // `done` runs exactly once: on a gRPC thread, or at once on this thread
  // when the backend already has its cap of calls in flight (UNAVAILABLE,
  // BACKEND_SATURATED).
  void Start(const Admission& admission, const PassThrough& pass, grpc::ClientContext* upstream,
             const grpc::ByteBuffer* request, grpc::ByteBuffer* response,
             std::function<void(const grpc::Status&)> done);

  // For a streaming call: takes a slot of the backend's in-flight cap (the
  // caller Releases it when the stream ends) and puts the principal, the
  // pass-through metadata and the deadline (capped at `longest`) on
  // `upstream`. UNAVAILABLE (BACKEND_SATURATED) when the cap is reached.
  absl::Status PrepareStream(const Admission& admission, const PassThrough& pass,
                             grpc::ClientContext* upstream, absl::Duration longest);
  void NoteUpstreamError(const Backend& backend, const grpc::Status& status);

 private:
  absl::Status Acquire(Backend& backend);
  void Decorate(const Admission& admission, const PassThrough& pass, grpc::ClientContext* upstream,
                absl::Duration longest);

  PrincipalTokens& tokens_;
  const absl::Duration max_deadline_;
  prometheus::Family<prometheus::Counter>& upstream_errors_;
};

}  // namespace grassroots::gateway
