#pragma once

#include "common/server/service_env.h"
#include "grassroots/careers/v1/staffing.grpc.pb.h"
#include "services/careers/staffing_store.h"

namespace grassroots::careers {

// gRPC edge of staffing rules, households and the staffing report.
class StaffingHandler final : public v1::StaffingService::CallbackService {
 public:
  StaffingHandler(const ServiceEnv& env, StaffingStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* SetStaffingRule(grpc::CallbackServerContext* context,
                                            const v1::SetStaffingRuleRequest* request,
                                            v1::StaffingRule* response) override;
  grpc::ServerUnaryReactor* SetCommunityHouseholds(grpc::CallbackServerContext* context,
                                                   const v1::SetCommunityHouseholdsRequest* request,
                                                   v1::CommunityHouseholds* response) override;
  grpc::ServerUnaryReactor* GetStaffingReport(grpc::CallbackServerContext* context,
                                              const v1::GetStaffingReportRequest* request,
                                              v1::StaffingReport* response) override;

 private:
  const ServiceEnv& env_;
  StaffingStore& store_;
};

}  // namespace grassroots::careers
