#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "services/orgs/member_store.h"

namespace grassroots::orgs {

// gRPC edge of the member register: validates and normalises personal data
// before the store encrypts it; answers masked.
class MemberHandler final : public v1::MemberService::CallbackService {
 public:
  MemberHandler(const ServiceEnv& env, MemberStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* AddMember(grpc::CallbackServerContext* context,
                                      const v1::AddMemberRequest* request,
                                      v1::Member* response) override;
  grpc::ServerReadReactor<common::v1::ImportChunk>* ImportMembers(
      grpc::CallbackServerContext* context, common::v1::ImportResult* response) override;
  grpc::ServerUnaryReactor* GetMember(grpc::CallbackServerContext* context,
                                      const v1::GetMemberRequest* request,
                                      v1::Member* response) override;
  grpc::ServerUnaryReactor* ConvertToFullMember(grpc::CallbackServerContext* context,
                                                const v1::ConvertToFullMemberRequest* request,
                                                v1::Member* response) override;
  grpc::ServerUnaryReactor* ListMembers(grpc::CallbackServerContext* context,
                                        const v1::ListMembersRequest* request,
                                        v1::ListMembersResponse* response) override;
  grpc::ServerUnaryReactor* FindMembers(grpc::CallbackServerContext* context,
                                        const v1::FindMembersRequest* request,
                                        v1::FindMembersResponse* response) override;
  grpc::ServerUnaryReactor* RevealMemberContact(grpc::CallbackServerContext* context,
                                                const v1::RevealMemberContactRequest* request,
                                                v1::MemberContact* response) override;

 private:
  const ServiceEnv& env_;
  MemberStore& store_;
};

}  // namespace grassroots::orgs
