#include "services/gateway/routes.h"

#include <chrono>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/server/balanced_channel.h"

namespace grassroots::gateway {

Backend::Backend(std::string package, std::string address, int channels, int max_in_flight)
    : package_(std::move(package)), address_(std::move(address)), max_in_flight_(max_in_flight) {
  for (int i = 0; i < channels; ++i) {
    grpc::ChannelArguments args;
    // Fail fast instead of queueing calls while a backend is down.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    // Connections to a backend stay open while it is up, so readiness can
    // be read from the channel state without waiting for a call.
    args.SetInt(GRPC_ARG_CLIENT_IDLE_TIMEOUT_MS, std::numeric_limits<int>::max());
    // Distinct arguments keep gRPC from sharing one connection between them.
    args.SetInt("grassroots.channel_index", i);
    channels_.push_back(CreateBalancedChannel(address_, args));
    stubs_.push_back(std::make_unique<grpc::GenericStub>(channels_.back()));
  }
}

grpc::GenericStub& Backend::NextStub() {
  return *stubs_[next_.fetch_add(1, std::memory_order_relaxed) % stubs_.size()];
}

bool Backend::TryAcquire() {
  if (in_flight_.fetch_add(1, std::memory_order_relaxed) < max_in_flight_) return true;
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  return false;
}

bool Backend::Reachable() const {
  bool any_ready = false;
  for (const auto& channel : channels_) {
    // Asking for the state also starts a connection attempt on an idle channel.
    any_ready |= channel->GetState(/*try_to_connect=*/true) == GRPC_CHANNEL_READY;
  }
  if (any_ready) return true;
  // None connected is mostly a backend that closed idle connections (every
  // server does after --max-connection-age-ms): the channels went idle and
  // are reconnecting now. Wait for that outcome, briefly; a backend that is
  // down refuses the connection at once (TRANSIENT_FAILURE).
  const auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(1);
  for (const auto& channel : channels_) {
    grpc_connectivity_state state = channel->GetState(/*try_to_connect=*/true);
    while ((state == GRPC_CHANNEL_IDLE || state == GRPC_CHANNEL_CONNECTING) &&
           channel->WaitForStateChange(state, deadline)) {
      state = channel->GetState(/*try_to_connect=*/true);
    }
    if (state == GRPC_CHANNEL_READY) return true;
  }
  return false;
}

absl::StatusOr<Routes> Routes::Parse(const std::string& spec, int channels_per_backend,
                                     int max_in_flight_per_backend) {
  Routes routes;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    std::vector<std::string> parts = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("configuration: --routes entry '", entry, "' is not package=host:port"));
    }
    routes.by_package_[parts[0]] = std::make_unique<Backend>(
        parts[0], parts[1], channels_per_backend, max_in_flight_per_backend);
  }
  if (routes.by_package_.empty()) {
    return absl::InvalidArgumentError("configuration: --routes names no backend");
  }
  return routes;
}

std::string Routes::PackageOf(const std::string& method) {
  // "/" service "/" method; the package is the service name up to its last dot.
  const auto slash = method.find('/', 1);
  if (method.empty() || method[0] != '/' || slash == std::string::npos) return "";
  const std::string service = method.substr(1, slash - 1);
  const auto dot = service.rfind('.');
  return dot == std::string::npos ? "" : service.substr(0, dot);
}

Backend* Routes::BackendFor(const std::string& package) const {
  auto it = by_package_.find(package);
  return it == by_package_.end() ? nullptr : it->second.get();
}

std::vector<const Backend*> Routes::backends() const {
  std::vector<const Backend*> out;
  for (const auto& [package, backend] : by_package_) out.push_back(backend.get());
  return out;
}

}  // namespace grassroots::gateway
