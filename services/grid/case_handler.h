#pragma once

#include "common/server/service_env.h"
#include "common/server/write_batcher.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "services/grid/case_setup_store.h"
#include "services/grid/case_store.h"
#include "services/grid/grid_store.h"
#include "services/grid/mediation_store.h"
#include "services/grid/task_admission.h"
#include "services/grid/whistle_store.h"

namespace grassroots::grid {

// gRPC edge of cases: validation, the step's role, then the store.
class CaseHandler final : public v1::CaseService::CallbackService {
 public:
  CaseHandler(const ServiceEnv& env, CaseStore& cases, CaseSetupStore& setup, GridStore& grids,
              WhistleStore& whistles, MediationStore& mediations, const TaskAdmission& admission)
      : env_(env),
        cases_(cases),
        setup_(setup),
        grids_(grids),
        whistles_(whistles),
        mediations_(mediations),
        admission_(admission),
        reports_(env, "report_case",
                 [&cases](std::vector<CaseReport>& reports) { return cases.ReportMany(reports); }) {
  }

  grpc::ServerUnaryReactor* ReportCase(grpc::CallbackServerContext* context,
                                       const v1::ReportCaseRequest* request,
                                       v1::ReportCaseResponse* response) override;
  // In case_import_handler.cc.
  grpc::ServerReadReactor<common::v1::ImportChunk>* ImportCases(
      grpc::CallbackServerContext* context, common::v1::ImportResult* response) override;
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* context,
                                    const v1::GetCaseRequest* request, v1::Case* response) override;
  grpc::ServerUnaryReactor* ListCases(grpc::CallbackServerContext* context,
                                      const v1::ListCasesRequest* request,
                                      v1::ListCasesResponse* response) override;
  grpc::ServerUnaryReactor* ListCaseSteps(grpc::CallbackServerContext* context,
                                          const v1::ListCaseStepsRequest* request,
                                          v1::ListCaseStepsResponse* response) override;
  grpc::ServerUnaryReactor* RegisterCase(grpc::CallbackServerContext* context,
                                         const v1::CaseStepRequest* request,
                                         v1::Case* response) override;
  grpc::ServerUnaryReactor* RejectCase(grpc::CallbackServerContext* context,
                                       const v1::CaseStepRequest* request,
                                       v1::Case* response) override;
  grpc::ServerUnaryReactor* DispatchCase(grpc::CallbackServerContext* context,
                                         const v1::DispatchCaseRequest* request,
                                         v1::Case* response) override;
  grpc::ServerUnaryReactor* AcceptCase(grpc::CallbackServerContext* context,
                                       const v1::CaseStepRequest* request,
                                       v1::Case* response) override;
  grpc::ServerUnaryReactor* DeclineCase(grpc::CallbackServerContext* context,
                                        const v1::CaseStepRequest* request,
                                        v1::Case* response) override;
  grpc::ServerUnaryReactor* ReportCaseHandled(grpc::CallbackServerContext* context,
                                              const v1::CaseStepRequest* request,
                                              v1::Case* response) override;
  grpc::ServerUnaryReactor* VerifyCase(grpc::CallbackServerContext* context,
                                       const v1::VerifyCaseRequest* request,
                                       v1::Case* response) override;
  grpc::ServerUnaryReactor* CloseCase(grpc::CallbackServerContext* context,
                                      const v1::CaseStepRequest* request,
                                      v1::Case* response) override;
  grpc::ServerUnaryReactor* EvaluateCase(grpc::CallbackServerContext* context,
                                         const v1::EvaluateCaseRequest* request,
                                         v1::Case* response) override;
  grpc::ServerUnaryReactor* SuspendCase(grpc::CallbackServerContext* context,
                                        const v1::CaseStepRequest* request,
                                        v1::Case* response) override;
  grpc::ServerUnaryReactor* ResumeCase(grpc::CallbackServerContext* context,
                                       const v1::CaseStepRequest* request,
                                       v1::Case* response) override;
  grpc::ServerUnaryReactor* RequestCaseExtension(grpc::CallbackServerContext* context,
                                                 const v1::RequestCaseExtensionRequest* request,
                                                 v1::Case* response) override;
  grpc::ServerUnaryReactor* DecideCaseExtension(grpc::CallbackServerContext* context,
                                                const v1::DecideCaseExtensionRequest* request,
                                                v1::Case* response) override;
  grpc::ServerUnaryReactor* MergeCases(grpc::CallbackServerContext* context,
                                       const v1::MergeCasesRequest* request,
                                       v1::MergeCasesResponse* response) override;
  grpc::ServerUnaryReactor* RecordMediation(grpc::CallbackServerContext* context,
                                            const v1::RecordMediationRequest* request,
                                            v1::Mediation* response) override;
  grpc::ServerUnaryReactor* ListMediations(grpc::CallbackServerContext* context,
                                           const v1::ListMediationsRequest* request,
                                           v1::ListMediationsResponse* response) override;
  grpc::ServerUnaryReactor* BlowWhistle(grpc::CallbackServerContext* context,
                                        const v1::BlowWhistleRequest* request,
                                        v1::Whistle* response) override;
  grpc::ServerUnaryReactor* ReportIn(grpc::CallbackServerContext* context,
                                     const v1::ReportInRequest* request,
                                     v1::Whistle* response) override;
  grpc::ServerUnaryReactor* ListWhistles(grpc::CallbackServerContext* context,
                                         const v1::ListWhistlesRequest* request,
                                         v1::ListWhistlesResponse* response) override;

 private:
  // Every step method: checks the plumbing, the note and the role, then
  // takes the step.
  grpc::ServerUnaryReactor* Step(grpc::CallbackServerContext* context,
                                 const v1::CaseStepRequest& step, CaseStepInput input,
                                 v1::Case* response);

  const ServiceEnv& env_;
  CaseStore& cases_;
  CaseSetupStore& setup_;
  GridStore& grids_;
  WhistleStore& whistles_;
  MediationStore& mediations_;
  const TaskAdmission& admission_;
  // Concurrent reports share transactions (CaseStore::ReportMany).
  WriteBatcher<CaseReport, ReportedCase> reports_;
};

}  // namespace grassroots::grid
