#pragma once

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "common/config/config.h"
#include "common/db/migration_set.h"
#include "common/metrics/process_metrics.h"
#include "common/metrics/rpc_metrics.h"
#include "common/server/service_env.h"
#include "common/server/tls_files.h"

namespace grassroots {

// Runs one service process: configuration, database pool and migrations,
// the gRPC server (callback API) with health, reflection and RED metrics,
// the metrics endpoint, the change sequencer and graceful shutdown. A
// service's main.cc only registers its handlers.
class ServiceHost {
 public:
  // The options every service accepts. `database` false for a server with no
  // store (the benchmark's empty handler).
  static std::vector<ConfigOption> StandardOptions(int default_grpc_port, int default_metrics_port,
                                                   bool database = true);

  // Blocks SIGTERM and SIGINT so that only the host's signal thread takes
  // them. Call first thing in main, before any thread exists.
  static void BlockStopSignals();

  static absl::StatusOr<std::unique_ptr<ServiceHost>> Create(
      const std::string& service, const Config& config,
      std::vector<const db::MigrationSet*> migrations, const Clock* clock = nullptr);
  ~ServiceHost();

  const ServiceEnv& env() const { return env_; }
  Logger& log() { return log_; }
  prometheus::Registry& registry() { return *registry_; }

  // Handlers must outlive Run().
  void AddService(grpc::Service* service);
  // Receives every call no registered service claims (the gateway's proxy),
  // which then records its own RED metrics (the interceptor is left out).
  void SetGenericService(grpc::CallbackGenericService* service) { generic_service_ = service; }

  // Runs after migrations and before health turns SERVING (for example,
  // loading a cache); retried every second until it succeeds.
  void AddReadinessStep(std::string name, std::function<absl::Status()> step);
  // Runs first when draining (for example, stopping a cache's follower).
  void AddStopHook(std::function<void()> hook);

  // Serves until SIGTERM/SIGINT (when stop signals were blocked) or
  // RequestStop, then drains: health turns NOT_SERVING, new calls are
  // refused, in-flight calls get the grace period, and Run returns OK.
  absl::Status Run();
  void RequestStop();

  // Applies migrations and returns (Kubernetes' migration Job).
  absl::Status MigrateOnly();
  bool migrate_only() const { return migrate_only_; }

  // Ports actually bound (useful when configured as 0); valid once Run has
  // started serving.
  int grpc_port() const { return grpc_port_; }
  absl::Duration shutdown_grace() const { return shutdown_grace_; }
  // The certificate material the gRPC server uses (empty when plaintext).
  const TlsFiles& tls() const { return tls_; }
  int metrics_port() const { return metrics_port_; }
  // Blocks until health is SERVING or the timeout passes.
  bool WaitUntilServing(absl::Duration timeout);

 private:
  ServiceHost(const std::string& service, const Config& config, const Clock* clock);
  void BecomeReady();

  const std::string service_;
  Logger log_;
  SystemClock system_clock_;
  const Clock* clock_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::string grpc_address_;
  std::string metrics_address_;
  absl::Duration shutdown_grace_;
  int max_connection_age_ms_ = 300000;
  int max_message_bytes_ = 4 << 20;
  TlsFiles tls_;
  bool migrate_only_ = false;
  std::vector<const db::MigrationSet*> migrations_;
  std::unique_ptr<PrincipalCodec> principals_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<ChangeLog> changes_;
  std::unique_ptr<ChangeSequencer> sequencer_;
  std::unique_ptr<RpcMetrics> rpc_metrics_;
  std::unique_ptr<WriteBatchMetrics> write_batches_;
  std::shared_ptr<ProcessMetrics> process_metrics_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  ServiceEnv env_;
  std::vector<grpc::Service*> services_;
  grpc::CallbackGenericService* generic_service_ = nullptr;
  std::vector<std::pair<std::string, std::function<absl::Status()>>> readiness_steps_;
  std::vector<std::function<void()>> stop_hooks_;
  std::unique_ptr<grpc::Server> server_;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
  absl::Notification stop_;
  absl::Notification serving_;
  std::thread readiness_;
  static bool signals_blocked_;
};

}  // namespace grassroots
