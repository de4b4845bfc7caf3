#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/staff.grpc.pb.h"
#include "services/grid/staff_store.h"

namespace grassroots::grid {

// gRPC edge of grid staff assignments.
class StaffHandler final : public v1::GridStaffService::CallbackService {
 public:
  StaffHandler(const ServiceEnv& env, StaffStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* AssignStaff(grpc::CallbackServerContext* context,
                                        const v1::AssignStaffRequest* request,
                                        v1::StaffAssignment* response) override;
  grpc::ServerUnaryReactor* GetStaffAssignment(grpc::CallbackServerContext* context,
                                               const v1::GetStaffAssignmentRequest* request,
                                               v1::StaffAssignment* response) override;
  grpc::ServerUnaryReactor* ListStaffAssignments(
      grpc::CallbackServerContext* context, const v1::ListStaffAssignmentsRequest* request,
      v1::ListStaffAssignmentsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateStaffAssignment(grpc::CallbackServerContext* context,
                                                  const v1::UpdateStaffAssignmentRequest* request,
                                                  v1::StaffAssignment* response) override;

 private:
  const ServiceEnv& env_;
  StaffStore& store_;
};

}  // namespace grassroots::grid
