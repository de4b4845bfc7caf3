#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/server/call.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"

namespace grassroots::dualreg {

struct CommunityRef {
  std::string id;
  std::string path;
};

struct OrganisationRef {
  std::string id;
  std::string name;
  std::string path;
  std::string area_path;
};

struct MemberRef {
  std::string id;
  std::string organisation_path;
};

// What dualreg learns from orgs, which owns communities, organisations and
// members. Each call goes in the caller's name (its signed principal as it
// came), so orgs applies the caller's scope, with a deadline. `field` names
// the request field in errors: INVALID_ARGUMENT (…_NOT_FOUND) when orgs has
// no such record, PERMISSION_DENIED (OUT_OF_SCOPE), UNAVAILABLE
// (ORGS_UNAVAILABLE) when orgs cannot be reached or does not answer in time.
class OrgsDirectory {
 public:
  OrgsDirectory(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline);

  // An area of kind COMMUNITY (COMMUNITY_REQUIRED otherwise).
  absl::StatusOr<CommunityRef> Community(const Call& call, absl::string_view field,
                                         const std::string& id) const;
  // An active organisation (ORGANISATION_DISSOLVED otherwise).
  absl::StatusOr<OrganisationRef> Organisation(const Call& call, absl::string_view field,
                                               const std::string& id) const;
  absl::StatusOr<MemberRef> Member(const Call& call, absl::string_view field,
                                   const std::string& id) const;
  // The organisation's members, those of the organisations below it included.
  absl::StatusOr<int> CountMembers(const Call& call, const std::string& organisation_id) const;

 private:
  std::unique_ptr<orgs::v1::AreaService::Stub> areas_;
  std::unique_ptr<orgs::v1::OrganisationService::Stub> organisations_;
  std::unique_ptr<orgs::v1::MemberService::Stub> members_;
  const absl::Duration deadline_;
};

// What a failed call to a peer (`peer`: "orgs", "volunteer") means for
// dualreg's caller; `reason_prefix` names the record ("MEMBER").
absl::Status FromPeerStatus(const grpc::Status& status, absl::string_view peer,
                            absl::string_view field, absl::string_view reason_prefix);

}  // namespace grassroots::dualreg
