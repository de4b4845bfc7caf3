// gateway: the one front door. Wiring only.
#include <cstdio>

#include "common/server/service_host.h"
#include "grassroots/orgs/v1/area.pb.h"
#include "services/gateway/api_keys.h"
#include "services/gateway/grpc_proxy.h"
#include "services/gateway/routes.h"

namespace {
int Stop(const absl::Status& status) {
  std::fprintf(stderr, "gateway: %s\n", std::string(status.message()).c_str());
  return 2;
}
}  // namespace

int main(int argc, char** argv) {
  grassroots::ServiceHost::BlockStopSignals();
  // The method table comes from the linked protos' descriptors.
  (void)grassroots::orgs::v1::Area::descriptor();
  using K = grassroots::ConfigOption::Kind;
  auto options = grassroots::ServiceHost::StandardOptions(/*default_grpc_port=*/7100,
                                                          /*default_metrics_port=*/9100,
                                                          /*database=*/false);
  options.push_back({"routes", K::kString, "grassroots.orgs.v1=127.0.0.1:7101",
                     "package=host:port for each backend, comma separated"});
  options.push_back({"api-keys-file", K::kString, "", "API key digests (see docs)", true});
  options.push_back({"max-deadline-ms", K::kInt, "30000", "longest a forwarded call may run"});
  auto config = grassroots::Config::FromProcess(options, argc, argv);
  if (!config.ok()) return Stop(config.status());
  auto routes = grassroots::gateway::Routes::Parse(config->GetString("routes"));
  if (!routes.ok()) return Stop(routes.status());
  auto host = grassroots::ServiceHost::Create("gateway", *config, {});
  if (!host.ok()) return Stop(host.status());
  const grassroots::ServiceEnv& env = (*host)->env();
  grassroots::gateway::ApiKeys keys(config->GetString("api-keys-file"), *env.clock);
  if (auto loaded = keys.Load(); !loaded.ok()) return Stop(loaded);
  grassroots::gateway::GrpcProxy proxy(*routes, keys, *env.principals, *env.clock, *env.log,
                                       (*host)->registry(),
                                       absl::Milliseconds(config->GetInt("max-deadline-ms")));
  (*host)->SetGenericService(&proxy);
  auto status = (*host)->Run();
  if (!status.ok()) {
    std::fprintf(stderr, "gateway: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
