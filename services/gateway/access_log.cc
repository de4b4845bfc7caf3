#include "services/gateway/access_log.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/metrics/rpc_metrics.h"

namespace grassroots::gateway {

AccessLog::AccessLog(Logger& log, prometheus::Registry& registry)
    : log_(log),
      requests_(prometheus::BuildCounter()
                    .Name("grassroots_gateway_requests_total")
                    .Help("Calls answered by the gateway, by edge, method and gRPC code")
                    .Register(registry)),
      seconds_(prometheus::BuildHistogram()
                   .Name("grassroots_gateway_request_duration_seconds")
                   .Help("Time from a call's arrival at the gateway to its answer")
                   .Register(registry)) {}

AccessLog::Series& AccessLog::SeriesFor(const char* edge, const GatewayMethod* method) {
  const std::string key = absl::StrCat(edge, method == nullptr ? "" : method->path);
  auto it = series_.find(key);
  if (it != series_.end()) return it->second;
  std::map<std::string, std::string> labels{
      {"edge", edge},
      {"service", method == nullptr ? "unknown" : method->descriptor->service()->full_name()},
      {"method", method == nullptr ? "unknown" : method->descriptor->name()}};
  static const prometheus::Histogram::BucketBoundaries kBuckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  Series series{&seconds_.Add(labels, kBuckets), {}};
  return series_.emplace(key, std::move(series)).first->second;
}

void AccessLog::Write(const AccessEntry& entry) {
  {
    absl::MutexLock lock(&mu_);
    Series& series = SeriesFor(entry.edge, entry.method);
    series.seconds->Observe(absl::ToDoubleSeconds(entry.latency));
    prometheus::Counter*& counter = series.by_code[entry.grpc_code];
    if (counter == nullptr) {
      counter = &requests_.Add(
          {{"edge", entry.edge},
           {"service",
            entry.method == nullptr ? "unknown" : entry.method->descriptor->service()->full_name()},
           {"method", entry.method == nullptr ? "unknown" : entry.method->descriptor->name()},
           {"code", GrpcCodeName(entry.grpc_code)}});
    }
    counter->Increment();
  }
  if (!log_.Enabled(Logger::Level::kInfo)) return;
  LogContext context{entry.request_id, entry.caller};
  const std::string latency = absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(entry.latency));
  const std::string request_bytes = absl::StrCat(entry.request_bytes);
  const std::string response_bytes = absl::StrCat(entry.response_bytes);
  const std::string http_status = absl::StrCat(entry.http_status);
  std::vector<std::pair<absl::string_view, absl::string_view>> fields{
      {"edge", entry.edge},
      {"method", entry.path},
      {"code", GrpcCodeName(entry.grpc_code)},
      {"latency_ms", latency},
      {"request_bytes", request_bytes},
      {"response_bytes", response_bytes}};
  if (entry.http_status != 0) fields.emplace_back("http_status", http_status);
  if (!entry.note.empty()) fields.emplace_back("note", entry.note);
  log_.Log(Logger::Level::kInfo, &context, "access", fields);
}

}  // namespace grassroots::gateway
