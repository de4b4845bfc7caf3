#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/meeting.grpc.pb.h"
#include "services/orgs/meeting_store.h"

namespace grassroots::orgs {

// gRPC edge of organisational life: validates requests, calls the store
// with the caller's scope and today's date (from the injected clock), maps
// results.
class MeetingHandler final : public v1::MeetingService::CallbackService {
 public:
  MeetingHandler(const ServiceEnv& env, MeetingStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* PlanMeeting(grpc::CallbackServerContext* context,
                                        const v1::PlanMeetingRequest* request,
                                        v1::Meeting* response) override;
  grpc::ServerUnaryReactor* RecordMeeting(grpc::CallbackServerContext* context,
                                          const v1::RecordMeetingRequest* request,
                                          v1::Meeting* response) override;
  grpc::ServerUnaryReactor* CancelMeeting(grpc::CallbackServerContext* context,
                                          const v1::CancelMeetingRequest* request,
                                          v1::Meeting* response) override;
  grpc::ServerUnaryReactor* GetMeeting(grpc::CallbackServerContext* context,
                                       const v1::GetMeetingRequest* request,
                                       v1::Meeting* response) override;
  grpc::ServerUnaryReactor* ListMeetings(grpc::CallbackServerContext* context,
                                         const v1::ListMeetingsRequest* request,
                                         v1::ListMeetingsResponse* response) override;
  grpc::ServerUnaryReactor* GetMeetingRoster(grpc::CallbackServerContext* context,
                                             const v1::GetMeetingRosterRequest* request,
                                             v1::MeetingRoster* response) override;
  grpc::ServerUnaryReactor* GetMeetingClock(grpc::CallbackServerContext* context,
                                            const v1::GetMeetingClockRequest* request,
                                            v1::MeetingClock* response) override;
  grpc::ServerUnaryReactor* ListOverdueMeetings(grpc::CallbackServerContext* context,
                                                const v1::ListOverdueMeetingsRequest* request,
                                                v1::ListOverdueMeetingsResponse* response) override;
  grpc::ServerUnaryReactor* GetMeetingCompliance(grpc::CallbackServerContext* context,
                                                 const v1::GetMeetingComplianceRequest* request,
                                                 v1::MeetingCompliance* response) override;

 private:
  absl::CivilDay Today() const;

  const ServiceEnv& env_;
  MeetingStore& store_;
};

}  // namespace grassroots::orgs
