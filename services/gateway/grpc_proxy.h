#pragma once

#include <grpcpp/generic/async_generic_service.h>

#include "absl/time/time.h"
#include "services/gateway/access_log.h"
#include "services/gateway/call_gate.h"
#include "services/gateway/forwarder.h"

namespace grassroots::gateway {

// Metadata key a system caller presents its API key in.
inline constexpr char kApiKeyMetadataKey[] = "x-api-key";

// The gRPC edge: every call passes the CallGate and is forwarded to the
// owning service as bytes, without parsing the message. Only x-request-id
// and traceparent pass through from the caller's metadata. Unary calls go
// through the Forwarder; streaming calls through a GrpcStreamProxy, whose
// deadline is capped at `max_stream_duration` instead of the unary cap.
class GrpcProxy final : public grpc::CallbackGenericService {
 public:
  GrpcProxy(CallGate& gate, Forwarder& forwarder, AccessLog& access_log,
            absl::Duration max_stream_duration)
      : gate_(gate),
        forwarder_(forwarder),
        access_log_(access_log),
        max_stream_duration_(max_stream_duration) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

  CallGate& gate() { return gate_; }
  Forwarder& forwarder() { return forwarder_; }
  AccessLog& access_log() { return access_log_; }

 private:
  CallGate& gate_;
  Forwarder& forwarder_;
  AccessLog& access_log_;
  const absl::Duration max_stream_duration_;
};

}  // namespace grassroots::gateway
