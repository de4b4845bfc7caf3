#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/dualreg/v1/registration.pb.h"

namespace grassroots::dualreg {

// The only code that speaks SQL about unit and member registrations. Each
// write checks the caller's scope (a jurisdiction path) against the
// registration's community and writes its change row in its transaction.
class RegistrationStore {
 public:
  RegistrationStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // `unit` has orgs' names and paths and in_service_members filled in.
  absl::StatusOr<v1::UnitRegistration> RegisterUnit(const std::string& scope,
                                                    const WriteContext& write,
                                                    v1::UnitRegistration unit);
  absl::StatusOr<v1::UnitRegistration> RenewUnit(const std::string& scope,
                                                 const WriteContext& write, const std::string& id,
                                                 const std::string& etag,
                                                 const std::string& valid_until,
                                                 int in_service_members);
  absl::StatusOr<v1::UnitRegistration> WithdrawUnit(const std::string& scope,
                                                    const WriteContext& write,
                                                    const std::string& id, const std::string& etag,
                                                    const std::string& reason);
  absl::StatusOr<v1::UnitRegistration> GetUnit(const std::string& scope, const std::string& id,
                                               absl::CivilDay today);

  // `registration` has orgs' paths filled in.
  absl::StatusOr<v1::MemberRegistration> RegisterMember(const std::string& scope,
                                                        const WriteContext& write,
                                                        v1::MemberRegistration registration);
  absl::StatusOr<v1::MemberRegistration> MoveMemberHome(
      const std::string& scope, const WriteContext& write, const std::string& id,
      const std::string& etag, const std::string& community_id, const std::string& community_path);
  // `only_member`: when set, the registration must be that member's.
  absl::StatusOr<v1::MemberRegistration> UpdateOffer(const std::string& scope,
                                                     const WriteContext& write,
                                                     const v1::UpdateMemberOfferRequest& request,
                                                     const std::string& only_member);
  absl::StatusOr<v1::MemberRegistration> WithdrawMember(const std::string& scope,
                                                        const WriteContext& write,
                                                        const std::string& id,
                                                        const std::string& etag);
  absl::StatusOr<v1::MemberRegistration> GetMember(const std::string& scope, const std::string& id);
  absl::StatusOr<v1::ListMemberRegistrationsResponse> ListMembers(
      const std::string& scope, const v1::ListMemberRegistrationsRequest& request);

  absl::StatusOr<v1::CoverageReport> Coverage(const std::string& scope, const std::string& path,
                                              absl::CivilDay today);

 private:
  // Locks the member registration row; updates it with `change` and writes
  // its change row. Hidden when missing or outside the scope.
  absl::StatusOr<v1::MemberRegistration> ChangeMember(
      const std::string& scope, const WriteContext& write, const std::string& id,
      const std::string& etag, absl::FunctionRef<absl::Status(v1::MemberRegistration&)> change);
  absl::StatusOr<v1::UnitRegistration> ChangeUnit(
      const std::string& scope, const WriteContext& write, const std::string& id,
      const std::string& etag, absl::FunctionRef<absl::Status(v1::UnitRegistration&)> change);

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::dualreg
