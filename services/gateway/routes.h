#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace grassroots::gateway {

// Which backend serves which proto package, from
// "grassroots.orgs.v1=127.0.0.1:7101,grassroots.grid.v1=127.0.0.1:7102".
// A few channels per backend, reused by every call and taken in turn: one
// HTTP/2 connection is served by one transport thread at a time on either
// side, so a single channel caps the gateway well below what it can carry.
class Routes {
 public:
  static absl::StatusOr<Routes> Parse(const std::string& spec, int channels_per_backend = 4);

  // The stub for "/pkg.Service/Method", or nullptr when no backend serves it.
  grpc::GenericStub* StubFor(const std::string& method) const;

  // "grassroots.orgs.v1" from "/grassroots.orgs.v1.AreaService/GetArea".
  static std::string PackageOf(const std::string& method);

 private:
  struct Backend {
    std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
    mutable std::atomic<uint64_t> next{0};
  };
  std::map<std::string, std::unique_ptr<Backend>> by_package_;
};

}  // namespace grassroots::gateway
