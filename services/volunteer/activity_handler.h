#pragma once

#include "common/server/service_env.h"
#include "grassroots/volunteer/v1/activity.grpc.pb.h"
#include "services/volunteer/activity_store.h"
#include "services/volunteer/attendance_store.h"
#include "services/volunteer/business_metrics.h"

namespace grassroots::volunteer {

// gRPC edge of activities, attendances and points rules.
class ActivityHandler final : public v1::ActivityService::CallbackService {
 public:
  ActivityHandler(const ServiceEnv& env, ActivityStore& activities, AttendanceStore& attendances,
                  BusinessMetrics& metrics)
      : env_(env), activities_(activities), attendances_(attendances), metrics_(metrics) {}

  grpc::ServerUnaryReactor* CreateActivity(grpc::CallbackServerContext* context,
                                           const v1::CreateActivityRequest* request,
                                           v1::Activity* response) override;
  grpc::ServerUnaryReactor* GetActivity(grpc::CallbackServerContext* context,
                                        const v1::GetActivityRequest* request,
                                        v1::Activity* response) override;
  grpc::ServerUnaryReactor* SignUp(grpc::CallbackServerContext* context,
                                   const v1::SignUpRequest* request,
                                   v1::Attendance* response) override;
  grpc::ServerUnaryReactor* CancelSignUp(grpc::CallbackServerContext* context,
                                         const v1::AttendanceRequest* request,
                                         v1::Attendance* response) override;
  grpc::ServerUnaryReactor* CheckIn(grpc::CallbackServerContext* context,
                                    const v1::RecordTimeRequest* request,
                                    v1::Attendance* response) override;
  grpc::ServerUnaryReactor* CheckOut(grpc::CallbackServerContext* context,
                                     const v1::RecordTimeRequest* request,
                                     v1::Attendance* response) override;
  grpc::ServerUnaryReactor* ConfirmAttendance(grpc::CallbackServerContext* context,
                                              const v1::AttendanceRequest* request,
                                              v1::Attendance* response) override;
  grpc::ServerUnaryReactor* ListAttendances(grpc::CallbackServerContext* context,
                                            const v1::ListAttendancesRequest* request,
                                            v1::ListAttendancesResponse* response) override;
  grpc::ServerUnaryReactor* SetPointsRule(grpc::CallbackServerContext* context,
                                          const v1::SetPointsRuleRequest* request,
                                          v1::PointsRule* response) override;
  grpc::ServerUnaryReactor* ListPointsRules(grpc::CallbackServerContext* context,
                                            const v1::ListPointsRulesRequest* request,
                                            v1::ListPointsRulesResponse* response) override;

 private:
  grpc::ServerUnaryReactor* Record(grpc::CallbackServerContext* context,
                                   const v1::RecordTimeRequest* request, v1::Attendance* response,
                                   bool check_in);

  const ServiceEnv& env_;
  ActivityStore& activities_;
  AttendanceStore& attendances_;
  BusinessMetrics& metrics_;
};

}  // namespace grassroots::volunteer
