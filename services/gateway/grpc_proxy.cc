#include "services/gateway/grpc_proxy.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/metrics/rpc_metrics.h"
#include "common/server/call.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace grassroots::gateway {
namespace {

std::string Metadata(const grpc::GenericCallbackServerContext& context, const std::string& key) {
  auto it = context.client_metadata().find(key);
  if (it == context.client_metadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

// UNIMPLEMENTED for methods the linked protos do not declare or that stream.
absl::Status CheckUnaryMethod(const std::string& method) {
  const auto* descriptor = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
      absl::StrReplaceAll(method.substr(method.empty() ? 0 : 1), {{"/", "."}}));
  if (descriptor == nullptr) {
    return WithReason(absl::UnimplementedError("no such method: " + method), "METHOD_UNKNOWN");
  }
  if (descriptor->client_streaming() || descriptor->server_streaming()) {
    return WithReason(absl::UnimplementedError(
                          "streaming methods are not served through the gateway yet; call the "
                          "service directly"),
                      "STREAMING_NOT_PROXIED");
  }
  return absl::OkStatus();
}

class ProxyCall final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(GrpcProxy& proxy, grpc::GenericCallbackServerContext* context)
      : proxy_(proxy), context_(context), start_(absl::Now()) {
    const std::string& method = context->method();
    absl::Status refused = proxy.CheckMethod(method);
    if (refused.ok()) stub_ = proxy.routes().StubFor(method);
    if (refused.ok()) {
      auto principal = proxy.keys().Authenticate(Metadata(*context, kApiKeyMetadataKey));
      if (!principal) {
        refused = Unauthenticated("CREDENTIALS_INVALID", "caller is not authenticated");
      } else {
        principal_ = *std::move(principal);
      }
    }
    if (!refused.ok()) {
      Complete(ToGrpcStatus(refused));
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Complete(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request message"));
      return;
    }
    upstream_.AddMetadata(std::string(kPrincipalMetadataKey), proxy_.tokens().For(principal_));
    for (const char* key : {"x-request-id", "traceparent"}) {
      const std::string value = Metadata(*context_, key);
      if (!value.empty()) upstream_.AddMetadata(key, value);
    }
    auto deadline = std::chrono::system_clock::now() +
                    std::chrono::milliseconds(absl::ToInt64Milliseconds(proxy_.max_deadline()));
    upstream_.set_deadline(std::min(deadline, context_->deadline()));
    stub_->UnaryCall(&upstream_, context_->method(), grpc::StubOptions(), &request_, &response_,
                     [this](const grpc::Status& status) {
                       if (!status.ok()) proxy_.NoteUpstreamError(context_->method(), status);
                       Complete(status);
                     });
  }

  void OnCancel() override { upstream_.TryCancel(); }
  void OnDone() override { delete this; }

 private:
  // Answers the caller and writes the access log line.
  void Complete(const grpc::Status& status) {
    proxy_.LogAccess(*context_, principal_.id(), status, absl::Now() - start_, request_.Length(),
                     status.ok() ? response_.Length() : 0);
    if (status.ok()) {
      StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
    } else {
      Finish(status);
    }
  }

  GrpcProxy& proxy_;
  grpc::GenericCallbackServerContext* context_;
  const absl::Time start_;
  grpc::GenericStub* stub_ = nullptr;
  common::v1::Principal principal_;
  grpc::ClientContext upstream_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

}  // namespace

absl::Status GrpcProxy::CheckMethod(const std::string& method) {
  {
    absl::ReaderMutexLock lock(&methods_mu_);
    auto it = methods_.find(method);
    if (it != methods_.end()) return it->second;
  }
  absl::Status status = CheckUnaryMethod(method);
  if (status.ok() && routes_.StubFor(method) == nullptr) {
    status = WithReason(absl::UnimplementedError("no backend serves " + method), "METHOD_UNROUTED");
  }
  absl::MutexLock lock(&methods_mu_);
  // Bounded: callers can invent method names, and those all fail alike.
  if (status.ok() || methods_.size() < 10000) methods_[method] = status;
  return status;
}

void GrpcProxy::LogAccess(const grpc::GenericCallbackServerContext& context,
                          const std::string& caller, const grpc::Status& status,
                          absl::Duration took, size_t request_bytes, size_t response_bytes) {
  LogContext log{Metadata(context, "x-request-id"), caller};
  log_.Log(Logger::Level::kInfo, &log, "access",
           {{"method", context.method()},
            {"code", std::to_string(static_cast<int>(status.error_code()))},
            {"latency_ms", absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(took))},
            {"request_bytes", std::to_string(request_bytes)},
            {"response_bytes", std::to_string(response_bytes)}});
}

void GrpcProxy::NoteUpstreamError(const std::string& method, const grpc::Status& status) {
  const std::string package = Routes::PackageOf(method);
  upstream_errors_
      .Add({{"package", package.empty() ? "unknown" : package},
            {"grpc_code", GrpcCodeName(static_cast<int>(status.error_code()))}})
      .Increment();
}

grpc::ServerGenericBidiReactor* GrpcProxy::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  return new ProxyCall(*this, context);
}

}  // namespace grassroots::gateway
