#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/log/logger.h"
#include "services/gateway/method_table.h"

namespace grassroots::gateway {

// One answered call at either edge.
struct AccessEntry {
  const char* edge;  // "grpc" or "http"
  std::string request_id;
  std::string caller;  // empty when not authenticated
  // The method when the gateway knows it, else nullptr (and `path` is what
  // the caller asked for).
  const GatewayMethod* method;
  absl::string_view path;
  int grpc_code;
  int http_status;  // 0 on the gRPC edge
  absl::Duration latency;
  size_t request_bytes;
  size_t response_bytes;
  std::string note;  // why a call was refused, for operators only
};

// The JSON access log line per call and the gateway's RED metrics per edge
// and method: grassroots_gateway_requests_total{edge,service,method,code}
// and grassroots_gateway_request_duration_seconds{edge,service,method}.
// Methods the gateway does not know count under method="unknown", so a
// caller cannot create label values.
class AccessLog {
 public:
  AccessLog(Logger& log, prometheus::Registry& registry);

  void Write(const AccessEntry& entry);

 private:
  struct Series {
    prometheus::Histogram* seconds;
    absl::flat_hash_map<int, prometheus::Counter*> by_code;
  };
  Series& SeriesFor(const char* edge, const GatewayMethod* method)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Logger& log_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& seconds_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Series> series_ ABSL_GUARDED_BY(mu_);
};

}  // namespace grassroots::gateway
