#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/committee.grpc.pb.h"
#include "services/orgs/committee_store.h"

namespace grassroots::orgs {

// gRPC edge of committees: validates requests, calls the store with the
// caller's scope and today's date (from the injected clock), maps results.
class CommitteeHandler final : public v1::CommitteeService::CallbackService {
 public:
  CommitteeHandler(const ServiceEnv& env, CommitteeStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* AppointCommitteeMember(grpc::CallbackServerContext* context,
                                                   const v1::AppointCommitteeMemberRequest* request,
                                                   v1::CommitteeSeat* response) override;
  grpc::ServerUnaryReactor* EndCommitteeSeat(grpc::CallbackServerContext* context,
                                             const v1::EndCommitteeSeatRequest* request,
                                             v1::CommitteeSeat* response) override;
  grpc::ServerUnaryReactor* GetCommittee(grpc::CallbackServerContext* context,
                                         const v1::GetCommitteeRequest* request,
                                         v1::Committee* response) override;
  grpc::ServerUnaryReactor* ListCommitteeSeats(grpc::CallbackServerContext* context,
                                               const v1::ListCommitteeSeatsRequest* request,
                                               v1::ListCommitteeSeatsResponse* response) override;
  grpc::ServerUnaryReactor* StartCommitteeTerm(grpc::CallbackServerContext* context,
                                               const v1::StartCommitteeTermRequest* request,
                                               v1::CommitteeTerm* response) override;

 private:
  absl::CivilDay Today() const;

  const ServiceEnv& env_;
  CommitteeStore& store_;
};

}  // namespace grassroots::orgs
