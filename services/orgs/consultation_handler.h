#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/consultation.grpc.pb.h"
#include "services/orgs/consultation_store.h"

namespace grassroots::orgs {

// gRPC edge of consultations (协商议事).
class ConsultationHandler final : public v1::ConsultationService::CallbackService {
 public:
  ConsultationHandler(const ServiceEnv& env, ConsultationStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* OpenConsultation(grpc::CallbackServerContext* context,
                                             const v1::OpenConsultationRequest* request,
                                             v1::Consultation* response) override;
  grpc::ServerUnaryReactor* GetConsultation(grpc::CallbackServerContext* context,
                                            const v1::GetConsultationRequest* request,
                                            v1::Consultation* response) override;
  grpc::ServerUnaryReactor* ListConsultations(grpc::CallbackServerContext* context,
                                              const v1::ListConsultationsRequest* request,
                                              v1::ListConsultationsResponse* response) override;
  grpc::ServerUnaryReactor* SubmitOpinion(grpc::CallbackServerContext* context,
                                          const v1::SubmitOpinionRequest* request,
                                          v1::ConsultationOpinion* response) override;
  grpc::ServerUnaryReactor* ListOpinions(grpc::CallbackServerContext* context,
                                         const v1::ListOpinionsRequest* request,
                                         v1::ListOpinionsResponse* response) override;
  grpc::ServerUnaryReactor* CastVote(grpc::CallbackServerContext* context,
                                     const v1::CastVoteRequest* request,
                                     v1::ConsultationBallot* response) override;
  grpc::ServerUnaryReactor* CloseConsultation(grpc::CallbackServerContext* context,
                                              const v1::CloseConsultationRequest* request,
                                              v1::Consultation* response) override;
  grpc::ServerUnaryReactor* GetConsultationResult(grpc::CallbackServerContext* context,
                                                  const v1::GetConsultationResultRequest* request,
                                                  v1::ConsultationResult* response) override;

 private:
  const ServiceEnv& env_;
  ConsultationStore& store_;
};

}  // namespace grassroots::orgs
