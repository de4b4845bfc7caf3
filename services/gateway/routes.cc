#include "services/gateway/routes.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace grassroots::gateway {

absl::StatusOr<Routes> Routes::Parse(const std::string& spec, int channels_per_backend) {
  Routes routes;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    std::vector<std::string> parts = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("configuration: --routes entry '", entry, "' is not package=host:port"));
    }
    auto backend = std::make_unique<Backend>();
    for (int i = 0; i < channels_per_backend; ++i) {
      grpc::ChannelArguments args;
      // Fail fast instead of queueing calls while a backend is down.
      args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
      args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
      // Distinct arguments keep gRPC from sharing one connection between them.
      args.SetInt("grassroots.channel_index", i);
      backend->stubs.push_back(std::make_unique<grpc::GenericStub>(
          grpc::CreateCustomChannel(parts[1], grpc::InsecureChannelCredentials(), args)));
    }
    routes.by_package_[parts[0]] = std::move(backend);
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

grpc::GenericStub* Routes::StubFor(const std::string& method) const {
  auto it = by_package_.find(PackageOf(method));
  if (it == by_package_.end()) return nullptr;
  const Backend& backend = *it->second;
  return backend.stubs[backend.next.fetch_add(1, std::memory_order_relaxed) % backend.stubs.size()]
      .get();
}

}  // namespace grassroots::gateway
