#include "services/dualreg/orgs_directory.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "common/server/balanced_channel.h"
#include "common/server/onward_call.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace grassroots::dualreg {

OrgsDirectory::OrgsDirectory(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
    : areas_(orgs::v1::AreaService::NewStub(channel)),
      organisations_(orgs::v1::OrganisationService::NewStub(channel)),
      members_(orgs::v1::MemberService::NewStub(channel)),
      deadline_(deadline) {}

absl::StatusOr<CommunityRef> OrgsDirectory::Community(const Call& call, absl::string_view field,
                                                      const std::string& id) const {
  grpc::ClientContext context;
  PrepareOnwardCall(call, deadline_, context);
  orgs::v1::GetAreaRequest request;
  request.set_id(id);
  orgs::v1::Area area;
  grpc::Status status = areas_->GetArea(&context, request, &area);
  if (!status.ok()) return FromPeerStatus(status, "orgs", field, "AREA");
  if (area.kind() != orgs::v1::COMMUNITY) {
    return InvalidField(field, "COMMUNITY_REQUIRED", absl::StrCat(field, " is not a community"));
  }
  return CommunityRef{area.id(), area.path()};
}

absl::StatusOr<OrganisationRef> OrgsDirectory::Organisation(const Call& call,
                                                            absl::string_view field,
                                                            const std::string& id) const {
  grpc::ClientContext context;
  PrepareOnwardCall(call, deadline_, context);
  orgs::v1::GetOrganisationRequest request;
  request.set_id(id);
  orgs::v1::Organisation organisation;
  grpc::Status status = organisations_->GetOrganisation(&context, request, &organisation);
  if (!status.ok()) return FromPeerStatus(status, "orgs", field, "ORGANISATION");
  if (organisation.state() != orgs::v1::ACTIVE) {
    return InvalidField(field, "ORGANISATION_DISSOLVED",
                        absl::StrCat(field, " names a dissolved organisation"));
  }
  return OrganisationRef{organisation.id(), organisation.display_name(), organisation.path(),
                         organisation.area_path()};
}

absl::StatusOr<MemberRef> OrgsDirectory::Member(const Call& call, absl::string_view field,
                                                const std::string& id) const {
  grpc::ClientContext context;
  PrepareOnwardCall(call, deadline_, context);
  orgs::v1::GetMemberRequest request;
  request.set_id(id);
  orgs::v1::Member member;
  grpc::Status status = members_->GetMember(&context, request, &member);
  if (!status.ok()) return FromPeerStatus(status, "orgs", field, "MEMBER");
  return MemberRef{member.id(), member.organisation_path()};
}

absl::StatusOr<int> OrgsDirectory::CountMembers(const Call& call,
                                                const std::string& organisation_id) const {
  int count = 0;
  orgs::v1::ListMembersRequest request;
  request.set_organisation_id(organisation_id);
  request.set_subtree(true);
  request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    PrepareOnwardCall(call, deadline_, context);
    orgs::v1::ListMembersResponse page;
    grpc::Status status = members_->ListMembers(&context, request, &page);
    if (!status.ok()) {
      return FromPeerStatus(status, "orgs", "unit.organisation_id", "ORGANISATION");
    }
    count += page.members_size();
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return count;
}

absl::Status FromPeerStatus(const grpc::Status& status, absl::string_view peer,
                            absl::string_view field, absl::string_view reason_prefix) {
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return InvalidField(field, absl::StrCat(reason_prefix, "_NOT_FOUND"),
                          absl::StrCat(field, " names nothing ", peer, " knows"));
    case grpc::StatusCode::PERMISSION_DENIED:
      return PermissionDenied("OUT_OF_SCOPE",
                              absl::StrCat(field, " lies outside the caller's jurisdiction"));
    case grpc::StatusCode::INVALID_ARGUMENT: {
      const absl::Status refused = FromGrpcStatus(status);
      return InvalidField(field, ErrorReason(refused).value_or("ID_INVALID"), refused.message());
    }
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::CANCELLED:
      // The channel's own words name hosts and ports: not for callers.
      return Unavailable(absl::StrCat(absl::AsciiStrToUpper(peer), "_UNAVAILABLE"),
                         absl::StrCat(peer,
                                      " cannot be reached or did not answer in time; "
                                      "retry shortly"));
    default:
      return Internal(absl::StrCat(absl::AsciiStrToUpper(peer), "_FAILED"),
                      absl::StrCat(peer, " refused the look-up: ", status.error_message()));
  }
}

}  // namespace grassroots::dualreg
