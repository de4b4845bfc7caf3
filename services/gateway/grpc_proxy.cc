#include "services/gateway/grpc_proxy.h"

#include <google/protobuf/descriptor.h>

#include "absl/strings/str_replace.h"
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
      : proxy_(proxy), context_(context) {
    const std::string& method = context->method();
    stub_ = proxy.routes().StubFor(method);
    absl::Status refused = CheckUnaryMethod(method);
    if (refused.ok() && stub_ == nullptr) {
      refused =
          WithReason(absl::UnimplementedError("no backend serves " + method), "METHOD_UNROUTED");
    }
    if (refused.ok()) {
      auto principal = proxy.keys().Authenticate(Metadata(*context, kApiKeyMetadataKey));
      if (!principal) {
        refused = Unauthenticated("CREDENTIALS_INVALID", "caller is not authenticated");
      } else {
        principal_ = *std::move(principal);
      }
    }
    if (!refused.ok()) {
      Finish(ToGrpcStatus(refused));
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request message"));
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
                     [this](grpc::Status status) {
                       if (status.ok()) {
                         StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
                       } else {
                         Finish(status);
                       }
                     });
  }

  void OnCancel() override { upstream_.TryCancel(); }
  void OnDone() override { delete this; }

 private:
  GrpcProxy& proxy_;
  grpc::GenericCallbackServerContext* context_;
  grpc::GenericStub* stub_ = nullptr;
  common::v1::Principal principal_;
  grpc::ClientContext upstream_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

}  // namespace

grpc::ServerGenericBidiReactor* GrpcProxy::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  return new ProxyCall(*this, context);
}

}  // namespace grassroots::gateway
