#include "services/grid/area_directory.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "common/server/balanced_channel.h"
#include "common/server/onward_call.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace grassroots::grid {

OrgsAreaDirectory::OrgsAreaDirectory(std::shared_ptr<grpc::Channel> channel,
                                     absl::Duration deadline)
    : channel_(std::move(channel)),
      stub_(orgs::v1::AreaService::NewStub(channel_)),
      deadline_(deadline) {}

std::unique_ptr<OrgsAreaDirectory> OrgsAreaDirectory::Connect(const std::string& address,
                                                              absl::Duration deadline) {
  return std::make_unique<OrgsAreaDirectory>(PeerChannel(address), deadline);
}

absl::StatusOr<AreaRef> OrgsAreaDirectory::GetArea(const Call& call, absl::string_view field,
                                                   const std::string& area_id) const {
  grpc::ClientContext context;
  PrepareOnwardCall(call, deadline_, context);
  orgs::v1::GetAreaRequest request;
  request.set_id(area_id);
  orgs::v1::Area area;
  grpc::Status status = stub_->GetArea(&context, request, &area);
  if (!status.ok()) return FromOrgsStatus(status, field);
  return AreaRef{area.id(), area.kind(), area.path()};
}

absl::Status FromOrgsStatus(const grpc::Status& status, absl::string_view field) {
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return InvalidField(field, "AREA_NOT_FOUND", "orgs has no area with this id");
    case grpc::StatusCode::PERMISSION_DENIED:
      return PermissionDenied("OUT_OF_SCOPE",
                              absl::StrCat(field, " lies outside the caller's jurisdiction"));
    case grpc::StatusCode::INVALID_ARGUMENT: {
      const absl::Status refused = FromGrpcStatus(status);
      return InvalidField(field, ErrorReason(refused).value_or("AREA_ID_INVALID"),
                          refused.message());
    }
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::CANCELLED:
      // The channel's own words name hosts and ports: not for callers.
      return Unavailable("ORGS_UNAVAILABLE",
                         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
                             ? "orgs, which keeps the jurisdiction tree, did not answer in time; "
                               "retry shortly"
                             : "orgs, which keeps the jurisdiction tree, cannot be reached; retry "
                               "shortly");
    default:
      return Internal("ORGS_FAILED",
                      absl::StrCat("orgs refused to look up the area: ", status.error_message()));
  }
}

}  // namespace grassroots::grid
