#pragma once

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace grassroots {

// The label value dashboards expect for a status code ("NotFound", ...).
const char* GrpcCodeName(int code);

// RED metrics per method under the names existing gRPC dashboards expect:
// grpc_server_started_total, grpc_server_handled_total{grpc_code} and
// grpc_server_handling_seconds, labelled grpc_type, grpc_service, grpc_method.
class RpcMetrics {
 public:
  explicit RpcMetrics(prometheus::Registry& registry);

  struct Method {
    prometheus::Counter* started = nullptr;
    prometheus::Histogram* seconds = nullptr;
    std::array<std::atomic<prometheus::Counter*>, 17> handled{};
    std::map<std::string, std::string> labels;
  };

  Method& For(const char* full_method, grpc::experimental::ServerRpcInfo::Type type);
  void RecordHandled(Method& method, int code, double seconds);

  // Creates one interceptor per call; hand it to ServerBuilder.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory();

 private:
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_ ABSL_GUARDED_BY(mu_);
};

}  // namespace grassroots
