#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace grassroots::gateway {

// Which backend serves which proto package, from
// "grassroots.orgs.v1=127.0.0.1:7101,grassroots.grid.v1=127.0.0.1:7102".
// One channel per backend, reused by every call.
class Routes {
 public:
  static absl::StatusOr<Routes> Parse(const std::string& spec);

  // The stub for "/pkg.Service/Method", or nullptr when no backend serves it.
  grpc::GenericStub* StubFor(const std::string& method) const;

  // "grassroots.orgs.v1" from "/grassroots.orgs.v1.AreaService/GetArea".
  static std::string PackageOf(const std::string& method);

 private:
  std::map<std::string, std::unique_ptr<grpc::GenericStub>> by_package_;
};

}  // namespace grassroots::gateway
