#include "services/gateway/grpc_proxy.h"

#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "services/gateway/grpc_stream_proxy.h"

namespace grassroots::gateway {
namespace {

absl::string_view Metadata(const grpc::GenericCallbackServerContext& context,
                           absl::string_view key) {
  auto it = context.client_metadata().find(grpc::string_ref(key.data(), key.size()));
  if (it == context.client_metadata().end()) return "";
  return absl::string_view(it->second.data(), it->second.size());
}

// The common name of the client certificate gRPC's TLS layer verified.
std::string VerifiedCertificateName(const grpc::GenericCallbackServerContext& context) {
  auto auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return "";
  auto names = auth->FindPropertyValues("x509_common_name");
  return names.empty() ? "" : std::string(names.front().data(), names.front().size());
}

// What passes through to the backend; the request id is sent back to the
// caller in the initial metadata.
PassThrough PassThroughOf(grpc::GenericCallbackServerContext& context) {
  PassThrough pass{RequestIdOr(Metadata(context, "x-request-id")),
                   std::string(Metadata(context, "traceparent")), context.deadline()};
  context.AddInitialMetadata("x-request-id", pass.request_id);
  return pass;
}

// A unary call, or the refusal of any call the gate did not admit.
class ProxyCall final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(GrpcProxy& proxy, grpc::GenericCallbackServerContext* context, Admission admission,
            const absl::Status& admitted, std::string log_note, PassThrough pass)
      : proxy_(proxy),
        context_(context),
        start_(absl::Now()),
        admission_(std::move(admission)),
        log_note_(std::move(log_note)),
        pass_(std::move(pass)) {
    if (!admitted.ok()) {
      Complete(ToGrpcStatus(admitted));
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Complete(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request message"));
      return;
    }
    proxy_.forwarder().Start(admission_, pass_, &upstream_, &request_, &response_,
                             [this](const grpc::Status& status) { Complete(status); });
  }

  void OnCancel() override { upstream_.TryCancel(); }
  void OnDone() override { delete this; }

 private:
  // Answers the caller and writes the access log line.
  void Complete(const grpc::Status& status) {
    proxy_.access_log().Write({"grpc", pass_.request_id, admission_.principal.id(),
                               admission_.method, context_->method(),
                               static_cast<int>(status.error_code()), 0, absl::Now() - start_,
                               request_.Length(), status.ok() ? response_.Length() : 0, log_note_});
    if (status.ok()) {
      StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
    } else {
      Finish(status);
    }
  }

  GrpcProxy& proxy_;
  grpc::GenericCallbackServerContext* context_;
  const absl::Time start_;
  Admission admission_;
  std::string log_note_;
  const PassThrough pass_;
  grpc::ClientContext upstream_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

}  // namespace

grpc::ServerGenericBidiReactor* GrpcProxy::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  Admission admission;
  std::string log_note;
  const absl::Status admitted = gate_.Admit(
      context->method(),
      Credentials{Metadata(*context, kApiKeyMetadataKey), Metadata(*context, "authorization"),
                  VerifiedCertificateName(*context)},
      &admission, &log_note);
  PassThrough pass = PassThroughOf(*context);
  if (admitted.ok() && admission.method->streaming()) {
    return GrpcStreamProxy::Start(context, std::move(admission), pass, forwarder_, access_log_,
                                  max_stream_duration_);
  }
  return new ProxyCall(*this, context, std::move(admission), admitted, std::move(log_note),
                       std::move(pass));
}

}  // namespace grassroots::gateway
