#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/decision.grpc.pb.h"
#include "services/orgs/decision_rules.h"
#include "services/orgs/decision_store.h"
#include "services/orgs/objection_store.h"

namespace grassroots::orgs {

// gRPC edge of major-matter decisions (四议一审两公开). `rules` are the
// publication clocks from the orgs options.
class DecisionHandler final : public v1::DecisionService::CallbackService {
 public:
  DecisionHandler(const ServiceEnv& env, DecisionStore& store, ObjectionStore& objections,
                  PublicationRules rules)
      : env_(env), store_(store), objections_(objections), rules_(rules) {}

  grpc::ServerUnaryReactor* ProposeMatter(grpc::CallbackServerContext* context,
                                          const v1::ProposeMatterRequest* request,
                                          v1::Matter* response) override;
  grpc::ServerUnaryReactor* GetMatter(grpc::CallbackServerContext* context,
                                      const v1::GetMatterRequest* request,
                                      v1::Matter* response) override;
  grpc::ServerUnaryReactor* ListMatters(grpc::CallbackServerContext* context,
                                        const v1::ListMattersRequest* request,
                                        v1::ListMattersResponse* response) override;
  grpc::ServerUnaryReactor* RecordDeliberation(grpc::CallbackServerContext* context,
                                               const v1::RecordMeetingStepRequest* request,
                                               v1::Matter* response) override;
  grpc::ServerUnaryReactor* RecordAssemblyReview(grpc::CallbackServerContext* context,
                                                 const v1::RecordMeetingStepRequest* request,
                                                 v1::Matter* response) override;
  grpc::ServerUnaryReactor* RecordRepresentativesResolution(
      grpc::CallbackServerContext* context, const v1::RecordMeetingStepRequest* request,
      v1::Matter* response) override;
  grpc::ServerUnaryReactor* RecordStreetReview(grpc::CallbackServerContext* context,
                                               const v1::RecordStreetReviewRequest* request,
                                               v1::Matter* response) override;
  grpc::ServerUnaryReactor* PublishResolution(grpc::CallbackServerContext* context,
                                              const v1::PublishMatterRequest* request,
                                              v1::Matter* response) override;
  grpc::ServerUnaryReactor* PublishResult(grpc::CallbackServerContext* context,
                                          const v1::PublishMatterRequest* request,
                                          v1::Matter* response) override;
  grpc::ServerUnaryReactor* FileObjection(grpc::CallbackServerContext* context,
                                          const v1::FileObjectionRequest* request,
                                          v1::MatterObjection* response) override;
  grpc::ServerUnaryReactor* AnswerObjection(grpc::CallbackServerContext* context,
                                            const v1::AnswerObjectionRequest* request,
                                            v1::MatterObjection* response) override;
  grpc::ServerUnaryReactor* ListObjections(grpc::CallbackServerContext* context,
                                           const v1::ListObjectionsRequest* request,
                                           v1::ListObjectionsResponse* response) override;
  grpc::ServerUnaryReactor* ListOverdueObjections(
      grpc::CallbackServerContext* context, const v1::ListOverdueObjectionsRequest* request,
      v1::ListOverdueObjectionsResponse* response) override;

 private:
  grpc::ServerUnaryReactor* RecordMeeting(grpc::CallbackServerContext* context,
                                          const v1::RecordMeetingStepRequest* request,
                                          v1::Matter* response, StepKind kind);
  grpc::ServerUnaryReactor* Publish(grpc::CallbackServerContext* context,
                                    const v1::PublishMatterRequest* request, v1::Matter* response,
                                    StepKind publication);

  const ServiceEnv& env_;
  DecisionStore& store_;
  ObjectionStore& objections_;
  const PublicationRules rules_;
};

}  // namespace grassroots::orgs
