#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/joint_meeting.grpc.pb.h"
#include "services/orgs/joint_meeting_store.h"

namespace grassroots::orgs {

// gRPC edge of joint meetings: validates requests, takes "today" from the
// injected clock, calls the store with the caller's scope.
class JointMeetingHandler final : public v1::JointMeetingService::CallbackService {
 public:
  JointMeetingHandler(const ServiceEnv& env, JointMeetingStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* ScheduleJointMeeting(grpc::CallbackServerContext* context,
                                                 const v1::ScheduleJointMeetingRequest* request,
                                                 v1::JointMeeting* response) override;
  grpc::ServerUnaryReactor* GetJointMeeting(grpc::CallbackServerContext* context,
                                            const v1::GetJointMeetingRequest* request,
                                            v1::JointMeeting* response) override;
  grpc::ServerUnaryReactor* ListJointMeetings(grpc::CallbackServerContext* context,
                                              const v1::ListJointMeetingsRequest* request,
                                              v1::ListJointMeetingsResponse* response) override;
  grpc::ServerUnaryReactor* SubmitAgendaItem(grpc::CallbackServerContext* context,
                                             const v1::SubmitAgendaItemRequest* request,
                                             v1::JointMeetingAgendaItem* response) override;
  grpc::ServerUnaryReactor* RecordJointMeeting(grpc::CallbackServerContext* context,
                                               const v1::RecordJointMeetingRequest* request,
                                               v1::JointMeeting* response) override;
  grpc::ServerUnaryReactor* CancelJointMeeting(grpc::CallbackServerContext* context,
                                               const v1::CancelJointMeetingRequest* request,
                                               v1::JointMeeting* response) override;

 private:
  absl::CivilDay Today() const;

  const ServiceEnv& env_;
  JointMeetingStore& store_;
};

}  // namespace grassroots::orgs
