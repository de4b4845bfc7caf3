#include "services/dualreg/registration_handler.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "services/dualreg/acting_member.h"
#include "services/dualreg/registration_rules.h"

namespace grassroots::dualreg {
namespace {

absl::CivilDay Today(const Clock& clock) {
  return absl::ToCivilDay(clock.Now(), absl::UTCTimeZone());
}

}  // namespace

grpc::ServerUnaryReactor* RegistrationHandler::RegisterUnit(grpc::CallbackServerContext* context,
                                                            const v1::RegisterUnitRequest* request,
                                                            v1::UnitRegistration* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateNewUnit(request->unit(), Today(*env_.clock)); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    auto organisation =
        orgs_.Organisation(call, "unit.organisation_id", request->unit().organisation_id());
    if (!organisation.ok()) return organisation.status();
    auto community = orgs_.Community(call, "unit.community_id", request->unit().community_id());
    if (!community.ok()) return community.status();
    if (!PathWithin(organisation->area_path, community->path)) {
      return InvalidField("unit.organisation_id", "ORGANISATION_NOT_IN_COMMUNITY",
                          "an employer registers with the community where it sits");
    }
    auto members = orgs_.CountMembers(call, organisation->id);
    if (!members.ok()) return members.status();
    v1::UnitRegistration unit = request->unit();
    unit.set_organisation_name(organisation->name);
    unit.set_organisation_path(organisation->path);
    unit.set_community_path(community->path);
    unit.set_in_service_members(*members);
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    auto made = store_.RegisterUnit(call.principal.scope_path(), write, unit);
    if (made.ok() && MadeBy(made->create_time(), write)) {
      metrics_.UnitRegistered(made->community_path());
    }
    return Assign(std::move(made), response);
  });
}

grpc::ServerUnaryReactor* RegistrationHandler::RenewUnit(grpc::CallbackServerContext* context,
                                                         const v1::RenewUnitRequest* request,
                                                         v1::UnitRegistration* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    auto unit = store_.GetUnit(call.principal.scope_path(), request->id(), Today(*env_.clock));
    if (!unit.ok()) return unit.status();
    auto members = orgs_.CountMembers(call, unit->organisation_id());
    if (!members.ok()) return members.status();
    return Assign(
        store_.RenewUnit(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                         request->etag(), request->valid_until(), *members),
        response);
  });
}

grpc::ServerUnaryReactor* RegistrationHandler::WithdrawUnit(grpc::CallbackServerContext* context,
                                                            const v1::WithdrawUnitRequest* request,
                                                            v1::UnitRegistration* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateText("reason", request->reason(), 500, true); !s.ok()) return s;
    return Assign(store_.WithdrawUnit(call.principal.scope_path(), call.Write(*env_.clock),
                                      request->id(), request->etag(), request->reason()),
                  response);
  });
}

grpc::ServerUnaryReactor* RegistrationHandler::GetUnit(grpc::CallbackServerContext* context,
                                                       const v1::GetUnitRequest* request,
                                                       v1::UnitRegistration* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.GetUnit(call.principal.scope_path(), request->id(), Today(*env_.clock)),
                  response);
  });
}

grpc::ServerUnaryReactor* RegistrationHandler::RegisterMember(
    grpc::CallbackServerContext* context, const v1::RegisterMemberRequest* request,
    v1::MemberRegistration* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::MemberRegistration& asked = request->registration();
    if (auto s = ValidateNewMember(asked); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    auto member = orgs_.Member(call, "registration.member_id", asked.member_id());
    if (!member.ok()) return member.status();
    auto employer = orgs_.Organisation(call, "registration.employer_organisation_id",
                                       asked.employer_organisation_id());
    if (!employer.ok()) return employer.status();
    if (!PathWithin(member->organisation_path, employer->path)) {
      return InvalidField("registration.employer_organisation_id", "MEMBER_NOT_OF_EMPLOYER",
                          "the member does not belong to the employer's party organisation");
    }
    auto community = orgs_.Community(call, "registration.community_id", asked.community_id());
    if (!community.ok()) return community.status();
    v1::MemberRegistration registration = asked;
    registration.set_employer_organisation_path(employer->path);
    registration.set_community_path(community->path);
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    auto made = store_.RegisterMember(call.principal.scope_path(), write, registration);
    if (made.ok() && MadeBy(made->create_time(), write)) {
      metrics_.MemberRegistered(made->community_path());
    }
    return Assign(std::move(made), response);
  });
}

grpc::ServerUnaryReactor* RegistrationHandler::MoveMemberHome(
    grpc::CallbackServerContext* context, const v1::MoveMemberHomeRequest* request,
    v1::MemberRegistration* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = RequireId("community_id", request->community_id()); !s.ok()) return s;
    auto community = orgs_.Community(call, "community_id", request->community_id());
    if (!community.ok()) return community.status();
    return Assign(
        store_.MoveMemberHome(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                              request->etag(), community->id, community->path),
        response);
  });
}

grpc::ServerUnaryReactor* RegistrationHandler::UpdateMemberOffer(
    grpc::CallbackServerContext* context, const v1::UpdateMemberOfferRequest* request,
    v1::MemberRegistration* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateOffer(request->skills(), request->availability(), ""); !s.ok()) return s;
    return Assign(store_.UpdateOffer(call.principal.scope_path(), call.Write(*env_.clock), *request,
                                     ActingMember(call.principal)),
                  response);
  });
}

grpc::ServerUnaryReactor* RegistrationHandler::WithdrawMember(
    grpc::CallbackServerContext* context, const v1::WithdrawMemberRequest* request,
    v1::MemberRegistration* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.WithdrawMember(call.principal.scope_path(), call.Write(*env_.clock),
                                        request->id(), request->etag()),
                  response);
  });
}

grpc::ServerUnaryReactor* RegistrationHandler::GetMemberRegistration(
    grpc::CallbackServerContext* context, const v1::GetMemberRegistrationRequest* request,
    v1::MemberRegistration* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.GetMember(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* RegistrationHandler::ListMemberRegistrations(
    grpc::CallbackServerContext* context, const v1::ListMemberRegistrationsRequest* request,
    v1::ListMemberRegistrationsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    return Assign(store_.ListMembers(call.principal.scope_path(), *request), response);
  });
}

grpc::ServerUnaryReactor* RegistrationHandler::GetCoverageReport(
    grpc::CallbackServerContext* context, const v1::GetCoverageReportRequest* request,
    v1::CoverageReport* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    return Assign(store_.Coverage(call.principal.scope_path(), request->path(), Today(*env_.clock)),
                  response);
  });
}

}  // namespace grassroots::dualreg
