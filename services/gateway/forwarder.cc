#include "services/gateway/forwarder.h"

#include "common/auth/principal_codec.h"
#include "common/metrics/rpc_metrics.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace grassroots::gateway {

void Forwarder::Start(const Admission& admission, const PassThrough& pass,
                      grpc::ClientContext* upstream, const grpc::ByteBuffer* request,
                      grpc::ByteBuffer* response, std::function<void(const grpc::Status&)> done) {
  Backend& backend = *admission.method->backend;
  if (!backend.TryAcquire()) {
    upstream_errors_.Add({{"package", backend.package()}, {"grpc_code", "Unavailable"}})
        .Increment();
    done(ToGrpcStatus(
        Unavailable("BACKEND_SATURATED", "the service is at its limit of calls; retry shortly")));
    return;
  }
  upstream->AddMetadata(std::string(kPrincipalMetadataKey), tokens_.For(admission.principal));
  if (!pass.request_id.empty()) upstream->AddMetadata("x-request-id", pass.request_id);
  if (!pass.traceparent.empty()) upstream->AddMetadata("traceparent", pass.traceparent);
  const auto longest = std::chrono::system_clock::now() +
                       std::chrono::milliseconds(absl::ToInt64Milliseconds(max_deadline_));
  upstream->set_deadline(std::min(longest, pass.deadline));
  backend.NextStub().UnaryCall(
      upstream, admission.method->path, grpc::StubOptions(), request, response,
      [this, &backend, done = std::move(done)](const grpc::Status& status) {
        backend.Release();
        if (!status.ok()) {
          upstream_errors_
              .Add({{"package", backend.package()},
                    {"grpc_code", GrpcCodeName(static_cast<int>(status.error_code()))}})
              .Increment();
        }
        done(status);
      });
}

}  // namespace grassroots::gateway
