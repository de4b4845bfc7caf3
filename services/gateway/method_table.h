#pragma once

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "grassroots/common/v1/principal.pb.h"
#include "services/gateway/routes.h"

namespace grassroots::gateway {

// A method the gateway can forward: its descriptor (from the linked protos),
// the backend that owns it and the roles its proto declares.
struct GatewayMethod {
  std::string path;     // "/grassroots.orgs.v1.AreaService/GetArea"
  std::string package;  // "grassroots.orgs.v1"
  const google::protobuf::MethodDescriptor* descriptor = nullptr;
  // From the method's (grassroots.common.v1.access) option; empty when the
  // proto declares none, and then nobody may call it.
  std::vector<std::string> roles;
  Backend* backend = nullptr;

  bool streaming() const {
    return descriptor->client_streaming() || descriptor->server_streaming();
  }
};

// Methods by path, built from the descriptors of the protos linked into the
// gateway: a method added to a proto is served with no gateway code.
// Lookups are remembered, so the descriptor pool is asked once a method.
class MethodTable {
 public:
  explicit MethodTable(const Routes& routes) : routes_(routes) {}

  // UNIMPLEMENTED (METHOD_UNKNOWN, METHOD_UNROUTED) when the gateway cannot
  // forward `path`.
  absl::StatusOr<const GatewayMethod*> Find(absl::string_view path);

 private:
  absl::StatusOr<std::unique_ptr<GatewayMethod>> Build(absl::string_view path) const;

  const Routes& routes_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<GatewayMethod>> found_ ABSL_GUARDED_BY(mu_);
};

// PERMISSION_DENIED unless the principal holds one of the method's roles.
// A method whose proto declares no roles is refused to everyone.
absl::Status Authorize(const GatewayMethod& method, const common::v1::Principal& principal);

}  // namespace grassroots::gateway
