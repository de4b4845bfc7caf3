#include "services/gateway/method_table.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/auth/scope.h"
#include "common/status/errors.h"
#include "grassroots/common/v1/access.pb.h"

namespace grassroots::gateway {

absl::StatusOr<std::unique_ptr<GatewayMethod>> MethodTable::Build(absl::string_view path) const {
  // "/pkg.Service/Method" -> "pkg.Service.Method"
  const bool well_formed =
      path.size() > 1 && path[0] == '/' && path.find('/', 1) != absl::string_view::npos;
  const auto* descriptor =
      well_formed ? google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
                        absl::StrReplaceAll(path.substr(1), {{"/", "."}}))
                  : nullptr;
  if (descriptor == nullptr) {
    return WithReason(absl::UnimplementedError(absl::StrCat("no such method: ", path)),
                      "METHOD_UNKNOWN");
  }
  auto method = std::make_unique<GatewayMethod>();
  method->path = std::string(path);
  method->package = descriptor->service()->file()->package();
  method->descriptor = descriptor;
  method->backend = routes_.BackendFor(method->package);
  if (method->backend == nullptr) {
    return WithReason(absl::UnimplementedError(absl::StrCat("no backend serves ", path)),
                      "METHOD_UNROUTED");
  }
  const auto& access = descriptor->options().GetExtension(common::v1::access);
  method->roles.assign(access.roles().begin(), access.roles().end());
  return method;
}

absl::StatusOr<const GatewayMethod*> MethodTable::Find(absl::string_view path) {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = found_.find(path);
    if (it != found_.end()) return it->second.get();
  }
  // Unknown paths are not remembered: callers can invent any number of them.
  auto built = Build(path);
  if (!built.ok()) return built.status();
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = found_.try_emplace(path, *std::move(built));
  return it->second.get();
}

absl::Status Authorize(const GatewayMethod& method, const common::v1::Principal& principal) {
  if (method.roles.empty()) {
    return PermissionDenied("METHOD_NOT_EXPOSED",
                            "this method declares no roles and is not served through the gateway");
  }
  for (const std::string& role : method.roles) {
    if (HasRole(principal, role)) return absl::OkStatus();
  }
  return PermissionDenied("ROLE_REQUIRED", absl::StrCat("calling ", method.descriptor->name(),
                                                        " needs one of the roles: ",
                                                        absl::StrJoin(method.roles, ", ")));
}

}  // namespace grassroots::gateway
