#pragma once

#include <grpcpp/grpcpp.h>

#include <exception>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/changes/change_log.h"
#include "common/log/logger.h"
#include "common/server/service_env.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "grassroots/common/v1/principal.pb.h"

namespace grassroots {

inline constexpr absl::string_view kRequestIdMetadataKey = "x-request-id";

// The verified caller of one RPC.
struct Call {
  common::v1::Principal principal;
  // The principal as it came, signed: a service calling another on the
  // caller's behalf forwards it, so the other applies the caller's scope.
  std::string principal_token;
  LogContext log;

  // Audit columns for a write made now under the request's request_id.
  WriteContext Write(const Clock& clock, std::string request_id = "") const {
    return WriteContext{principal.id(), std::move(request_id), clock.Now()};
  }
};

// UNAUTHENTICATED unless the call carries a principal signed by the gateway;
// UNAVAILABLE (SERVICE_STARTING) until the host is serving.
absl::StatusOr<Call> Authenticate(const grpc::CallbackServerContext& context,
                                  const ServiceEnv& env);

// Logs failures a caller cannot act on (INTERNAL, UNKNOWN, DATA_LOSS) with
// their full detail, which ToGrpcStatus keeps from the caller.
void LogIfInternal(const ServiceEnv& env, const Call* call, const absl::Status& status);

// Runs the blocking body of an already authenticated call on the worker
// pool and finishes the reactor from there. `body` is absl::Status(const Call&).
template <typename Body>
grpc::ServerUnaryReactor* RunOnWorkers(grpc::CallbackServerContext* context, const ServiceEnv& env,
                                       Call call, Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool queued = env.workers->Submit(
      [reactor, context, &env, call = std::move(call), body = std::move(body)]() mutable {
        if (context->IsCancelled()) {
          reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "call cancelled"));
          return;
        }
        absl::Status status;
        try {
          status = body(static_cast<const Call&>(call));
        } catch (const std::exception& e) {
          status = absl::InternalError(e.what());
        }
        LogIfInternal(env, &call, status);
        reactor->Finish(ToGrpcStatus(status));
      });
  if (!queued) {
    reactor->Finish(ToGrpcStatus(ResourceExhausted(
        "SERVER_BUSY", "the service is at capacity or shutting down; retry shortly")));
  }
  return reactor;
}

// Finishes a call at once, on the calling thread.
inline grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                           const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// The shape of every unary handler: authenticate on gRPC's thread, run the
// blocking body on the worker pool, finish the reactor from there.
template <typename Body>
grpc::ServerUnaryReactor* HandleUnary(grpc::CallbackServerContext* context, const ServiceEnv& env,
                                      Body body) {
  auto call = Authenticate(*context, env);
  if (!call.ok()) return FinishNow(context, call.status());
  return RunOnWorkers(context, env, *std::move(call), std::move(body));
}

}  // namespace grassroots
