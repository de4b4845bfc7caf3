#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/server/call.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"

namespace grassroots::grid {

// An area of the jurisdiction tree, which orgs owns, as grid needs it.
struct AreaRef {
  std::string id;
  orgs::v1::AreaKind kind = orgs::v1::AREA_KIND_UNSPECIFIED;
  std::string path;
};

// Where grid learns about the jurisdiction tree. Grid never reads orgs'
// tables: it asks orgs, in the caller's name.
class AreaDirectory {
 public:
  virtual ~AreaDirectory() = default;

  // The area as the caller may see it: the caller's signed principal goes
  // to orgs as it came, so orgs applies the caller's scope. `field` names the
  // request field in errors: INVALID_ARGUMENT (AREA_NOT_FOUND) when there is
  // no such area, PERMISSION_DENIED (OUT_OF_SCOPE) outside a scoped caller's
  // jurisdiction (or nowhere: the two look the same), UNAVAILABLE
  // (ORGS_UNAVAILABLE) when orgs cannot be reached or does not answer in time.
  virtual absl::StatusOr<AreaRef> GetArea(const Call& call, absl::string_view field,
                                          const std::string& area_id) const = 0;
};

// Asks orgs' AreaService over one channel made at start, each call with a
// deadline. While orgs is down its channel fails calls at once instead of
// queueing them, so a write that needs orgs is refused quickly and the rest
// of grid keeps working.
class OrgsAreaDirectory final : public AreaDirectory {
 public:
  OrgsAreaDirectory(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline);
  // Over PeerChannel(address).
  static std::unique_ptr<OrgsAreaDirectory> Connect(const std::string& address,
                                                    absl::Duration deadline);

  absl::StatusOr<AreaRef> GetArea(const Call& call, absl::string_view field,
                                  const std::string& area_id) const override;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<orgs::v1::AreaService::Stub> stub_;
  const absl::Duration deadline_;
};

// What a failed call to orgs means for grid's caller (see GetArea).
absl::Status FromOrgsStatus(const grpc::Status& status, absl::string_view field);

}  // namespace grassroots::grid
