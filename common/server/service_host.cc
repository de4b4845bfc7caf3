#include "common/server/service_host.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/db/migrator.h"

namespace grassroots {

bool ServiceHost::signals_blocked_ = false;

namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

std::vector<ConfigOption> ServiceHost::StandardOptions(int default_grpc_port,
                                                       int default_metrics_port, bool database) {
  using K = ConfigOption::Kind;
  std::vector<ConfigOption> options = {
      {"grpc-address", K::kString, absl::StrCat("127.0.0.1:", default_grpc_port),
       "host:port the gRPC server listens on (port 0 picks a free one)"},
      {"metrics-address", K::kString, absl::StrCat("127.0.0.1:", default_metrics_port),
       "host:port of the Prometheus /metrics endpoint"},
      {"principal-key", K::kString, "", "HMAC key (32+ bytes) the gateway signs principals with",
       true, true},
      {"shutdown-grace-ms", K::kInt, "10000", "how long in-flight calls may run after SIGTERM"},
      {"max-connection-age-ms", K::kInt, "300000",
       "close client connections after this long so clients rebalance onto new replicas"},
      {"log-level", K::kString, "info", "debug, info, warn or error"},
      {"tls-cert-file", K::kString, "", "PEM certificate chain: serve gRPC over TLS"},
      {"tls-key-file", K::kString, "", "PEM private key of the certificate"},
      {"tls-client-ca-file", K::kString, "",
       "PEM CA: accept (and verify) client certificates, for mutual TLS"},
      {"max-message-bytes", K::kInt, "4194304",
       "largest request message accepted (larger: RESOURCE_EXHAUSTED, or HTTP 413)"},
  };
  if (database) {
    std::vector<ConfigOption> db = {
        {"db-host", K::kString, "127.0.0.1", "MariaDB host"},
        {"db-port", K::kInt, "3306", "MariaDB port"},
        {"db-user", K::kString, "", "database user (rights on its own schema only)", true},
        {"db-password", K::kString, "", "database password", false, true},
        {"db-schema", K::kString, "", "the service's schema", true},
        {"db-pool-size", K::kInt, "16", "connections, and worker threads for blocking work"},
        {"change-sequencer-interval-ms", K::kInt, "20",
         "how often committed changes are given feed positions"},
        {"migrate-only", K::kBool, "false", "apply migrations and exit"},
    };
    options.insert(options.end(), db.begin(), db.end());
  } else {
    options.push_back({"worker-threads", K::kInt, "4", "threads for blocking work"});
  }
  return options;
}

void ServiceHost::BlockStopSignals() {
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signals_blocked_ = true;
}

ServiceHost::ServiceHost(const std::string& service, const Config& config, const Clock* clock)
    : service_(service),
      log_(service, stderr,
           config.GetString("log-level") == "debug"   ? Logger::Level::kDebug
           : config.GetString("log-level") == "warn"  ? Logger::Level::kWarn
           : config.GetString("log-level") == "error" ? Logger::Level::kError
                                                      : Logger::Level::kInfo),
      clock_(clock != nullptr ? clock : &system_clock_),
      registry_(std::make_shared<prometheus::Registry>()) {}

ServiceHost::~ServiceHost() {
  RequestStop();
  if (readiness_.joinable()) readiness_.join();
  if (sequencer_) sequencer_->Stop();
  if (workers_) workers_->Shutdown();
}

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Create(
    const std::string& service, const Config& config,
    std::vector<const db::MigrationSet*> migrations, const Clock* clock) {
  const std::string& level = config.GetString("log-level");
  if (level != "debug" && level != "info" && level != "warn" && level != "error") {
    return absl::InvalidArgumentError(
        "configuration: --log-level must be debug, info, warn or error");
  }
  // Debian's Abseil checks every Mutex for lock-order cycles (a debug aid
  // that costs several percent of a busy server's CPU, gRPC's own locks
  // included). The suite's lock order is kept by design and by the tests.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  std::unique_ptr<ServiceHost> host(new ServiceHost(service, config, clock));
  const auto masked = config.Masked();
  std::string summary;
  for (const auto& [name, value] : masked) absl::StrAppend(&summary, name, "=", value, " ");
  host->log_.Info("configuration", {{"options", summary}});

  host->grpc_address_ = config.GetString("grpc-address");
  host->metrics_address_ = config.GetString("metrics-address");
  host->shutdown_grace_ = absl::Milliseconds(config.GetInt("shutdown-grace-ms"));
  host->max_message_bytes_ = static_cast<int>(config.GetInt("max-message-bytes"));
  auto tls = LoadTlsFiles(config);
  if (!tls.ok()) return tls.status();
  host->tls_ = *std::move(tls);
  auto codec = PrincipalCodec::Create(config.GetString("principal-key"));
  if (!codec.ok()) return codec.status();
  host->principals_ = std::make_unique<PrincipalCodec>(*std::move(codec));

  const bool database = masked.count("db-schema") > 0;
  int workers = 4;
  if (database) {
    db::DbOptions options;
    options.host = config.GetString("db-host");
    options.port = static_cast<int>(config.GetInt("db-port"));
    options.user = config.GetString("db-user");
    options.password = config.GetString("db-password");
    options.schema = config.GetString("db-schema");
    options.pool_size = static_cast<int>(config.GetInt("db-pool-size"));
    if (options.pool_size < 1 || options.pool_size > 512) {
      return absl::InvalidArgumentError("configuration: --db-pool-size must be 1 to 512");
    }
    // Two more connections than workers: the sequencer and migrations never
    // take a worker's connection.
    workers = options.pool_size;
    options.pool_size += 2;
    host->migrate_only_ = config.GetBool("migrate-only");
    host->pool_ = std::make_unique<db::ConnectionPool>(options, *host->registry_);
    host->changes_ = std::make_unique<ChangeLog>(service);
    host->sequencer_ = std::make_unique<ChangeSequencer>(
        *host->pool_, host->log_, *host->registry_,
        absl::Milliseconds(config.GetInt("change-sequencer-interval-ms")));
    migrations.insert(migrations.begin(), &db::common_migrations());
  } else {
    workers = static_cast<int>(config.GetInt("worker-threads"));
  }
  host->migrations_ = std::move(migrations);
  host->workers_ = std::make_unique<WorkerPool>(workers, 10000, *host->registry_);
  host->rpc_metrics_ = std::make_unique<RpcMetrics>(*host->registry_);
  host->write_batches_ = std::make_unique<WriteBatchMetrics>(*host->registry_);
  host->process_metrics_ = std::make_shared<ProcessMetrics>();
  host->env_ = ServiceEnv{host->pool_.get(),      host->workers_.get(), host->principals_.get(),
                          host->clock_,           &host->log_,          host->changes_.get(),
                          host->sequencer_.get(), &host->serving_,      host->write_batches_.get()};
  host->max_connection_age_ms_ = static_cast<int>(config.GetInt("max-connection-age-ms"));
  return host;
}

void ServiceHost::AddService(grpc::Service* service) { services_.push_back(service); }

void ServiceHost::AddReadinessStep(std::string name, std::function<absl::Status()> step) {
  readiness_steps_.emplace_back(std::move(name), std::move(step));
}

void ServiceHost::AddStopHook(std::function<void()> hook) {
  stop_hooks_.push_back(std::move(hook));
}

absl::Status ServiceHost::MigrateOnly() {
  if (pool_ == nullptr) return absl::OkStatus();
  absl::Status status = db::ApplyMigrations(*pool_, migrations_, *clock_);
  if (status.ok()) log_.Info("migrations applied");
  return status;
}

void ServiceHost::BecomeReady() {
  // The server already answers (health NOT_SERVING) while the database is
  // still coming up; keep trying until it is reachable and migrated.
  while (pool_ != nullptr && !stop_.HasBeenNotified()) {
    absl::Status status = db::ApplyMigrations(*pool_, migrations_, *clock_);
    if (status.ok()) break;
    log_.Warn("database not ready", {{"error", status.ToString()}});
    if (absl::IsFailedPrecondition(status)) {
      // An edited or missing migration never heals by waiting.
      log_.Error("refusing to serve: migrations do not match the database");
      RequestStop();
      return;
    }
    stop_.WaitForNotificationWithTimeout(absl::Seconds(1));
  }
  if (stop_.HasBeenNotified()) return;
  if (sequencer_) sequencer_->Start();
  for (const auto& [name, step] : readiness_steps_) {
    while (!stop_.HasBeenNotified()) {
      absl::Status status = step();
      if (status.ok()) break;
      log_.Warn("readiness step failed", {{"step", name}, {"error", status.ToString()}});
      stop_.WaitForNotificationWithTimeout(absl::Seconds(1));
    }
  }
  if (stop_.HasBeenNotified()) return;
  server_->GetHealthCheckService()->SetServingStatus(true);
  serving_.Notify();
  log_.Info("serving", {{"grpc_port", absl::StrCat(grpc_port_)},
                        {"metrics_port", absl::StrCat(metrics_port_)}});
}

bool ServiceHost::WaitUntilServing(absl::Duration timeout) {
  return serving_.WaitForNotificationWithTimeout(timeout);
}

void ServiceHost::RequestStop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
}

absl::Status ServiceHost::Run() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(grpc_address_, ServerCredentialsFor(tls_), &grpc_port_);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, max_connection_age_ms_);
  builder.SetMaxReceiveMessageSize(max_message_bytes_);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 30000);
  for (grpc::Service* service : services_) builder.RegisterService(service);
  if (generic_service_ != nullptr) builder.RegisterCallbackGenericService(generic_service_);
  // A generic service (the gateway) records its own RED metrics per method;
  // the interceptor would only count every call again as a bidi stream.
  if (generic_service_ == nullptr) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(rpc_metrics_->InterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || grpc_port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", grpc_address_));
  }
  server_->GetHealthCheckService()->SetServingStatus(false);

  try {
    exposer_ = std::make_unique<prometheus::Exposer>(metrics_address_);
  } catch (const std::exception& e) {
    server_->Shutdown();
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", metrics_address_, ": ", e.what()));
  }
  exposer_->RegisterCollectable(registry_);
  exposer_->RegisterCollectable(process_metrics_);
  metrics_port_ = exposer_->GetListeningPorts().empty() ? 0 : exposer_->GetListeningPorts()[0];

  std::thread signals;
  if (signals_blocked_) {
    signals = std::thread([this] {
      sigset_t set = StopSignals();
      int signal = 0;
      sigwait(&set, &signal);
      log_.Info("stop signal received", {{"signal", absl::StrCat(signal)}});
      RequestStop();
    });
    signals.detach();
  }
  readiness_ = std::thread([this] { BecomeReady(); });

  stop_.WaitForNotification();
  log_.Info("draining", {{"grace_ms", absl::StrCat(absl::ToInt64Milliseconds(shutdown_grace_))}});
  server_->GetHealthCheckService()->SetServingStatus(false);
  if (readiness_.joinable()) readiness_.join();
  for (const auto& hook : stop_hooks_) hook();
  // Streams waiting for new changes end first, so they do not hold the drain.
  if (sequencer_) sequencer_->Stop();
  server_->Shutdown(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(absl::ToInt64Milliseconds(shutdown_grace_)));
  workers_->Shutdown();
  log_.Info("stopped");
  return absl::OkStatus();
}

}  // namespace grassroots
