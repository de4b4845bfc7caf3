#pragma once

#include "common/server/service_env.h"
#include "grassroots/dualreg/v1/registration.grpc.pb.h"
#include "services/dualreg/business_metrics.h"
#include "services/dualreg/orgs_directory.h"
#include "services/dualreg/registration_store.h"

namespace grassroots::dualreg {

// gRPC edge of unit and member registrations: validates, checks the
// organisations, members and communities named in orgs (in the caller's
// name), then writes through the store and counts the registrations made.
class RegistrationHandler final : public v1::RegistrationService::CallbackService {
 public:
  RegistrationHandler(const ServiceEnv& env, RegistrationStore& store, const OrgsDirectory& orgs,
                      BusinessMetrics& metrics)
      : env_(env), store_(store), orgs_(orgs), metrics_(metrics) {}

  grpc::ServerUnaryReactor* RegisterUnit(grpc::CallbackServerContext* context,
                                         const v1::RegisterUnitRequest* request,
                                         v1::UnitRegistration* response) override;
  grpc::ServerUnaryReactor* RenewUnit(grpc::CallbackServerContext* context,
                                      const v1::RenewUnitRequest* request,
                                      v1::UnitRegistration* response) override;
  grpc::ServerUnaryReactor* WithdrawUnit(grpc::CallbackServerContext* context,
                                         const v1::WithdrawUnitRequest* request,
                                         v1::UnitRegistration* response) override;
  grpc::ServerUnaryReactor* GetUnit(grpc::CallbackServerContext* context,
                                    const v1::GetUnitRequest* request,
                                    v1::UnitRegistration* response) override;
  grpc::ServerUnaryReactor* RegisterMember(grpc::CallbackServerContext* context,
                                           const v1::RegisterMemberRequest* request,
                                           v1::MemberRegistration* response) override;
  grpc::ServerUnaryReactor* MoveMemberHome(grpc::CallbackServerContext* context,
                                           const v1::MoveMemberHomeRequest* request,
                                           v1::MemberRegistration* response) override;
  grpc::ServerUnaryReactor* UpdateMemberOffer(grpc::CallbackServerContext* context,
                                              const v1::UpdateMemberOfferRequest* request,
                                              v1::MemberRegistration* response) override;
  grpc::ServerUnaryReactor* WithdrawMember(grpc::CallbackServerContext* context,
                                           const v1::WithdrawMemberRequest* request,
                                           v1::MemberRegistration* response) override;
  grpc::ServerUnaryReactor* GetMemberRegistration(grpc::CallbackServerContext* context,
                                                  const v1::GetMemberRegistrationRequest* request,
                                                  v1::MemberRegistration* response) override;
  grpc::ServerUnaryReactor* ListMemberRegistrations(
      grpc::CallbackServerContext* context, const v1::ListMemberRegistrationsRequest* request,
      v1::ListMemberRegistrationsResponse* response) override;
  grpc::ServerUnaryReactor* GetCoverageReport(grpc::CallbackServerContext* context,
                                              const v1::GetCoverageReportRequest* request,
                                              v1::CoverageReport* response) override;

 private:
  const ServiceEnv& env_;
  RegistrationStore& store_;
  const OrgsDirectory& orgs_;
  BusinessMetrics& metrics_;
};

}  // namespace grassroots::dualreg
