#include "services/gateway/forwarder.h"

#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "common/ids/id_generator.h"
#include "common/metrics/rpc_metrics.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace grassroots::gateway {

std::string RequestIdOr(absl::string_view given) {
  if (!given.empty() && given.size() <= 128) return std::string(given);
  return NewId("rq", absl::Now());
}

absl::Status Forwarder::Acquire(Backend& backend) {
  if (backend.TryAcquire()) return absl::OkStatus();
  upstream_errors_.Add({{"package", backend.package()}, {"grpc_code", "Unavailable"}}).Increment();
  return Unavailable("BACKEND_SATURATED", "the service is at its limit of calls; retry shortly");
}

void Forwarder::Decorate(const Admission& admission, const PassThrough& pass,
                         grpc::ClientContext* upstream, absl::Duration longest) {
  upstream->AddMetadata(std::string(kPrincipalMetadataKey), tokens_.For(admission.principal));
  if (!pass.request_id.empty()) upstream->AddMetadata("x-request-id", pass.request_id);
  if (!pass.traceparent.empty()) upstream->AddMetadata("traceparent", pass.traceparent);
  const auto cap = std::chrono::system_clock::now() +
                   std::chrono::milliseconds(absl::ToInt64Milliseconds(longest));
  upstream->set_deadline(std::min(cap, pass.deadline));
}

void Forwarder::NoteUpstreamError(const Backend& backend, const grpc::Status& status) {
  if (status.ok()) return;
  upstream_errors_
      .Add({{"package", backend.package()},
            {"grpc_code", GrpcCodeName(static_cast<int>(status.error_code()))}})
      .Increment();
}

absl::Status Forwarder::PrepareStream(const Admission& admission, const PassThrough& pass,
                                      grpc::ClientContext* upstream, absl::Duration longest) {
  if (auto acquired = Acquire(*admission.method->backend); !acquired.ok()) return acquired;
  Decorate(admission, pass, upstream, longest);
  return absl::OkStatus();
}

void Forwarder::Start(const Admission& admission, const PassThrough& pass,
                      grpc::ClientContext* upstream, const grpc::ByteBuffer* request,
                      grpc::ByteBuffer* response, std::function<void(const grpc::Status&)> done) {
  Backend& backend = *admission.method->backend;
  if (auto acquired = Acquire(backend); !acquired.ok()) {
    done(ToGrpcStatus(acquired));
    return;
  }
  Decorate(admission, pass, upstream, max_deadline_);
  backend.NextStub().UnaryCall(
      upstream, admission.method->path, grpc::StubOptions(), request, response,
      [this, &backend, done = std::move(done)](const grpc::Status& status) {
        backend.Release();
        NoteUpstreamError(backend, status);
        done(status);
      });
}

}  // namespace grassroots::gateway
