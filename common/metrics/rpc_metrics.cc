#include "common/metrics/rpc_metrics.h"

#include <chrono>

#include "absl/strings/str_split.h"

namespace grassroots {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

const char* TypeName(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unary";
}

class Interceptor final : public grpc::experimental::Interceptor {
 public:
  Interceptor(RpcMetrics& metrics, RpcMetrics::Method& method)
      : metrics_(metrics), method_(method), start_(std::chrono::steady_clock::now()) {
    method_.started->Increment();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const auto elapsed = std::chrono::steady_clock::now() - start_;
      metrics_.RecordHandled(method_, methods->GetSendStatus().error_code(),
                             std::chrono::duration<double>(elapsed).count());
    }
    methods->Proceed();
  }

 private:
  RpcMetrics& metrics_;
  RpcMetrics::Method& method_;
  const std::chrono::steady_clock::time_point start_;
};

class Factory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit Factory(RpcMetrics& metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new Interceptor(metrics_, metrics_.For(info->method(), info->type()));
  }

 private:
  RpcMetrics& metrics_;
};

}  // namespace

const char* GrpcCodeName(int code) {
  static constexpr const char* kNames[] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  return code >= 0 && code < 17 ? kNames[code] : "Unknown";
}

RpcMetrics::RpcMetrics(prometheus::Registry& registry)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("RPCs started on the server")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("RPCs completed on the server, by status code")
                   .Register(registry)),
      handling_seconds_(prometheus::BuildHistogram()
                            .Name("grpc_server_handling_seconds")
                            .Help("Time from the start of an RPC to its status")
                            .Register(registry)) {}

RpcMetrics::Method& RpcMetrics::For(const char* full_method, ServerRpcInfo::Type type) {
  const std::string key = full_method != nullptr ? full_method : "";
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = methods_.find(key);
    if (it != methods_.end()) return *it->second;
  }
  absl::MutexLock lock(&mu_);
  auto& slot = methods_[key];
  if (slot == nullptr) {
    std::vector<std::string> parts = absl::StrSplit(key, '/', absl::SkipEmpty());
    auto method = std::make_unique<Method>();
    method->labels = {{"grpc_type", TypeName(type)},
                      {"grpc_service", parts.size() == 2 ? parts[0] : "unknown"},
                      {"grpc_method", parts.size() == 2 ? parts[1] : "unknown"}};
    method->started = &started_.Add(method->labels);
    method->seconds = &handling_seconds_.Add(
        method->labels,
        prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                0.1, 0.25, 0.5, 1, 2.5, 5, 10});
    slot = std::move(method);
  }
  return *slot;
}

void RpcMetrics::RecordHandled(Method& method, int code, double seconds) {
  if (code < 0 || code >= 17) code = 2;
  prometheus::Counter* counter = method.handled[code].load(std::memory_order_acquire);
  if (counter == nullptr) {
    auto labels = method.labels;
    labels["grpc_code"] = GrpcCodeName(code);
    counter = &handled_.Add(labels);  // thread-safe; returns the same child every time
    method.handled[code].store(counter, std::memory_order_release);
  }
  counter->Increment();
  method.seconds->Observe(seconds);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
RpcMetrics::InterceptorFactory() {
  return std::make_unique<Factory>(*this);
}

}  // namespace grassroots
