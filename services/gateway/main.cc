// gateway: the one front door. Wiring only.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/server/service_host.h"
#include "services/gateway/access_log.h"
#include "services/gateway/api_keys.h"
#include "services/gateway/call_gate.h"
#include "services/gateway/connect_handler.h"
#include "services/gateway/forwarder.h"
#include "services/gateway/grpc_proxy.h"
#include "services/gateway/http_server.h"
#include "services/gateway/jwt_verifier.h"
#include "services/gateway/method_table.h"
#include "services/gateway/open311_handler.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/routes.h"

namespace {

int Stop(const absl::Status& status) {
  std::fprintf(stderr, "gateway: %s\n", std::string(status.message()).c_str());
  return 2;
}

absl::StatusOr<std::string> ReadFileIfNamed(const std::string& option, const std::string& path) {
  if (path.empty()) return std::string();
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError("configuration: cannot read " + option + " " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  grassroots::ServiceHost::BlockStopSignals();
  using K = grassroots::ConfigOption::Kind;
  auto options = grassroots::ServiceHost::StandardOptions(/*default_grpc_port=*/7100,
                                                          /*default_metrics_port=*/9100,
                                                          /*database=*/false);
  options.push_back({"routes", K::kString, "grassroots.orgs.v1=127.0.0.1:7101",
                     "package=host:port for each backend, comma separated"});
  options.push_back({"http-address", K::kString, "127.0.0.1:8100",
                     "host:port of the JSON (Connect) edge, /healthz and /readyz"});
  options.push_back({"http-threads", K::kInt, "2", "threads serving the JSON edge"});
  options.push_back({"api-keys-file", K::kString, "", "API key digests (see docs)", true});
  options.push_back(
      {"max-deadline-ms", K::kInt, "30000", "longest a forwarded unary call may run"});
  options.push_back(
      {"max-stream-ms", K::kInt, "3600000",
       "longest a forwarded streaming call (an import, a change feed watch) may run"});
  options.push_back(
      {"channels-per-backend", K::kInt, "4", "HTTP/2 connections to each backend, taken in turn"});
  options.push_back({"max-in-flight-per-backend", K::kInt, "1024",
                     "calls under way to one backend before more are refused (UNAVAILABLE)"});
  options.push_back({"rate-limit-per-second", K::kInt, "1000",
                     "calls a second each caller may make on average; 0 turns the limit off"});
  options.push_back({"rate-limit-burst", K::kInt, "2000", "calls a caller may make at once"});
  options.push_back({"jwt-issuer", K::kString, "", "required iss of bearer tokens"});
  options.push_back({"jwt-audience", K::kString, "", "required aud of bearer tokens"});
  options.push_back({"jwt-hs256-secret", K::kString, "",
                     "shared secret for HS256 bearer tokens (at least 32 bytes)", false, true});
  options.push_back(
      {"jwt-rs256-public-key-file", K::kString, "", "PEM RSA public key for RS256 bearer tokens"});
  auto config = grassroots::Config::FromProcess(options, argc, argv);
  if (!config.ok()) return Stop(config.status());
  if (config->GetInt("max-in-flight-per-backend") < 1) {
    return Stop(
        absl::InvalidArgumentError("configuration: max-in-flight-per-backend must be >= 1"));
  }
  auto routes = grassroots::gateway::Routes::Parse(
      config->GetString("routes"), static_cast<int>(config->GetInt("channels-per-backend")),
      static_cast<int>(config->GetInt("max-in-flight-per-backend")));
  if (!routes.ok()) return Stop(routes.status());
  auto public_key =
      ReadFileIfNamed("jwt-rs256-public-key-file", config->GetString("jwt-rs256-public-key-file"));
  if (!public_key.ok()) return Stop(public_key.status());
  auto host = grassroots::ServiceHost::Create("gateway", *config, {});
  if (!host.ok()) return Stop(host.status());
  const grassroots::ServiceEnv& env = (*host)->env();
  auto tokens = grassroots::gateway::JwtVerifier::Create(
      {config->GetString("jwt-issuer"), config->GetString("jwt-audience"),
       config->GetString("jwt-hs256-secret"), *public_key},
      *env.clock);
  if (!tokens.ok()) return Stop(tokens.status());
  grassroots::gateway::ApiKeys keys(config->GetString("api-keys-file"), *env.clock);
  if (auto loaded = keys.Load(); !loaded.ok()) return Stop(loaded);

  grassroots::gateway::MethodTable methods(*routes);
  grassroots::gateway::RateLimiter limiter(
      static_cast<double>(config->GetInt("rate-limit-per-second")),
      static_cast<double>(config->GetInt("rate-limit-burst")), *env.clock);
  grassroots::gateway::CallGate gate(methods, keys, **tokens, limiter);
  grassroots::gateway::PrincipalTokens principal_tokens(*env.principals, *env.clock);
  grassroots::gateway::Forwarder forwarder(
      principal_tokens, absl::Milliseconds(config->GetInt("max-deadline-ms")), (*host)->registry());
  grassroots::gateway::AccessLog access_log(*env.log, (*host)->registry());
  grassroots::gateway::GrpcProxy proxy(gate, forwarder, access_log,
                                       absl::Milliseconds(config->GetInt("max-stream-ms")));
  (*host)->SetGenericService(&proxy);
  grassroots::gateway::ConnectHandler connect(gate, forwarder, access_log, *routes);
  grassroots::gateway::Open311Caller open311_caller(gate, forwarder, access_log);
  grassroots::gateway::Open311Handler open311(open311_caller);
  connect.ServeOpen311(&open311);
  grassroots::gateway::HttpServer http(
      {config->GetString("http-address"), static_cast<int>(config->GetInt("http-threads")),
       static_cast<size_t>(config->GetInt("max-message-bytes")), absl::Seconds(60), (*host)->tls()},
      connect, *env.log);
  if (auto started = http.Start(); !started.ok()) return Stop(started);
  (*host)->AddStopHook([&http, grace = (*host)->shutdown_grace()] { http.Stop(grace); });
  auto status = (*host)->Run();
  if (!status.ok()) {
    std::fprintf(stderr, "gateway: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
