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

// One service behind the gateway: a few channels to it (each balancing over
// every address the backend's name resolves to), reused by every
// call and taken in turn (one HTTP/2 connection is served by one transport
// thread at a time on either side, so a single channel caps the gateway well
// below what it can carry), and a cap on the calls in flight to it, so a
// slow backend cannot take every caller down with it.
class Backend {
 public:
  Backend(std::string package, std::string address, int channels, int max_in_flight);

  const std::string& package() const { return package_; }
  const std::string& address() const { return address_; }
  grpc::GenericStub& NextStub();

  // False when max_in_flight calls are already under way; every true is
  // paired with one Release.
  bool TryAcquire();
  void Release() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  int in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

  // True when at least one channel is connected (and starts connecting the
  // others), or connects within a second, so a backend that is down or not
  // yet reached reads false but one that just closed idle connections does
  // not.
  bool Reachable() const;

 private:
  const std::string package_;
  const std::string address_;
  const int max_in_flight_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::atomic<uint64_t> next_{0};
  std::atomic<int> in_flight_{0};
};

// Which backend serves which proto package, from
// "grassroots.orgs.v1=127.0.0.1:7101,grassroots.grid.v1=127.0.0.1:7102".
class Routes {
 public:
  static absl::StatusOr<Routes> Parse(const std::string& spec, int channels_per_backend = 4,
                                      int max_in_flight_per_backend = 1024);

  // The backend for a proto package, or nullptr.
  Backend* BackendFor(const std::string& package) const;
  std::vector<const Backend*> backends() const;

  // "grassroots.orgs.v1" from "/grassroots.orgs.v1.AreaService/GetArea".
  static std::string PackageOf(const std::string& method);

 private:
  std::map<std::string, std::unique_ptr<Backend>> by_package_;
};

}  // namespace grassroots::gateway
