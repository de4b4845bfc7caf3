#include "services/grid/case_handler.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/grid/case_rules.h"
#include "services/grid/case_transitions.h"
#include "services/grid/external_ticket_rules.h"
#include "services/grid/grid_rules.h"
#include "services/grid/list_paging.h"
#include "services/grid/mediation_rules.h"
#include "services/grid/whistle_rules.h"

namespace grassroots::grid {
namespace {

std::vector<std::string> RolesOf(const Call& call) {
  return {call.principal.roles().begin(), call.principal.roles().end()};
}

// A grid's path extends its community's by one segment.
std::string CommunityPathOf(const std::string& grid_path) {
  return grid_path.substr(0, grid_path.rfind('/'));
}

CaseStepInput StepOf(CaseAction action, const v1::CaseStepRequest& step) {
  CaseStepInput input;
  input.action = action;
  input.note = step.note();
  return input;
}

}  // namespace

namespace {

// What a reporter may say of a case; the rest is the workflow's.
v1::Case ReporterPart(const v1::Case& report) {
  v1::Case reported;
  reported.set_kind(report.kind());
  reported.set_source(report.source());
  reported.set_category_code(report.category_code());
  reported.set_grid_id(report.grid_id());
  reported.set_latitude(report.latitude());
  reported.set_longitude(report.longitude());
  reported.set_address(report.address());
  reported.set_description(report.description());
  *reported.mutable_photo_refs() = report.photo_refs();
  reported.set_reporter_ref(report.reporter_ref());
  *reported.mutable_extra_fields() = report.extra_fields();
  reported.set_admission_item_code(report.admission_item_code());
  reported.set_requesting_department(report.requesting_department());
  if (report.has_appointment_time()) {
    *reported.mutable_appointment_time() = report.appointment_time();
  }
  reported.set_handled_on_behalf(report.handled_on_behalf());
  if (report.has_external_ticket()) *reported.mutable_external_ticket() = report.external_ticket();
  return reported;
}

void Answer(ReportedCase outcome, v1::ReportCaseResponse* response) {
  *response->mutable_case_() = std::move(outcome.report);
  response->set_duplicate(outcome.duplicate);
  response->set_ticket_known(outcome.ticket_known);
}

}  // namespace

grpc::ServerUnaryReactor* CaseHandler::ReportCase(grpc::CallbackServerContext* context,
                                                  const v1::ReportCaseRequest* request,
                                                  v1::ReportCaseResponse* response) {
  auto call = Authenticate(*context, env_);
  if (!call.ok()) return FinishNow(context, call.status());
  const v1::Case& report = request->case_();
  for (const absl::Status& s :
       {RequireId("case.grid_id", report.grid_id()),
        ValidateCaseCode("case.category_code", report.category_code()),
        ValidateRequestId(request->request_id()),
        report.has_external_ticket()
            ? ValidateExternalTicket("case.external_ticket", report.external_ticket())
            : absl::OkStatus()}) {
    if (!s.ok()) return FinishNow(context, s);
  }
  CaseReport reported{call->principal.scope_path(), call->Write(*env_.clock, request->request_id()),
                      ReporterPart(report)};
  if (reported.report.kind() != v1::Case::DEPARTMENT_TASK) {
    // Concurrent reports share transactions; the batch reads the category
    // and checks the report against it.
    auto* reactor = context->DefaultReactor();
    reports_.Submit(std::move(reported), [this, reactor, response, call = *std::move(call)](
                                             absl::StatusOr<ReportedCase> outcome) {
      if (outcome.ok()) Answer(*std::move(outcome), response);
      LogIfInternal(env_, &call, outcome.status());
      reactor->Finish(ToGrpcStatus(outcome.status()));
    });
    return reactor;
  }
  // A department's task asks orgs' admission list first, outside any transaction.
  return RunOnWorkers(
      context, env_, *std::move(call),
      [this, reported = std::move(reported), response](const Call& call) -> absl::Status {
        auto category = setup_.GetCategory(reported.report.category_code());
        if (absl::IsNotFound(category.status())) {
          return InvalidField("case.category_code", "CATEGORY_NOT_FOUND",
                              "no category has this code");
        }
        if (!category.ok()) return category.status();
        if (auto s = ValidateReport(reported.report, *category); !s.ok()) return s;
        auto grid = grids_.Get(reported.scope, reported.report.grid_id());
        if (!grid.ok()) return grid.status();
        if (auto s = admission_.CheckTask(call, CommunityPathOf(grid->path()),
                                          reported.report.admission_item_code(),
                                          reported.report.requesting_department());
            !s.ok()) {
          return s;
        }
        auto outcome = cases_.Report(reported.scope, reported.write, reported.report, *category);
        if (!outcome.ok()) return outcome.status();
        Answer(*std::move(outcome), response);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CaseHandler::GetCase(grpc::CallbackServerContext* context,
                                               const v1::GetCaseRequest* request,
                                               v1::Case* response) {
  // A case in the cache is answered on gRPC's own thread: no hop to the
  // worker pool, no database round trip.
  auto call = Authenticate(*context, env_);
  if (!call.ok()) return FinishNow(context, call.status());
  if (auto s = RequireId("id", request->id()); !s.ok()) return FinishNow(context, s);
  if (auto cached = cases_.GetCached(call->principal.scope_path(), request->id())) {
    return FinishNow(context, Assign(*std::move(cached), response));
  }
  return RunOnWorkers(
      context, env_, *std::move(call), [this, request, response](const Call& call) -> absl::Status {
        return Assign(cases_.Get(call.principal.scope_path(), request->id()), response);
      });
}

grpc::ServerUnaryReactor* CaseHandler::ListCases(grpc::CallbackServerContext* context,
                                                 const v1::ListCasesRequest* request,
                                                 v1::ListCasesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    CaseQuery query;
    query.grid_id = request->grid_id();
    query.path_prefix = request->path_prefix();
    query.state = request->state();
    query.department_id = request->department_id();
    query.overdue_only = request->overdue_only();
    if (!query.grid_id.empty()) {
      if (auto s = RequireId("grid_id", query.grid_id); !s.ok()) return s;
    }
    if (!v1::Case::State_IsValid(query.state)) {
      return InvalidField("state", "STATE_INVALID", "not a case state");
    }
    auto page = ReadPage(absl::StrCat("cases|", call.principal.scope_path(), "|", query.grid_id,
                                      "|", query.path_prefix, "|", query.state, "|",
                                      query.department_id, "|", query.overdue_only),
                         request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found = cases_.List(call.principal.scope_path(), query, page->size, page->after);
    if (!found.ok()) return found.status();
    for (auto& c : found->cases) *response->add_cases() = std::move(c);
    response->set_next_page_token(NextPageToken(*page, found->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CaseHandler::ListCaseSteps(grpc::CallbackServerContext* context,
                                                     const v1::ListCaseStepsRequest* request,
                                                     v1::ListCaseStepsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("case_id", request->case_id()); !s.ok()) return s;
    auto page =
        ReadPage(absl::StrCat("case_steps|", call.principal.scope_path(), "|", request->case_id()),
                 request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    int after = 0;
    if (!page->after.empty() && !absl::SimpleAtoi(page->after, &after)) {
      return InvalidField("page_token", "PAGE_TOKEN_INVALID", "not a token of this listing");
    }
    auto found =
        cases_.ListSteps(call.principal.scope_path(), request->case_id(), page->size, after);
    if (!found.ok()) return found.status();
    for (auto& s : found->steps) *response->add_steps() = std::move(s);
    response->set_next_page_token(
        NextPageToken(*page, found->last_number == 0 ? "" : absl::StrCat(found->last_number)));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CaseHandler::Step(grpc::CallbackServerContext* context,
                                            const v1::CaseStepRequest& step, CaseStepInput input,
                                            v1::Case* response) {
  return HandleUnary(
      context, env_,
      [this, &step, input = std::move(input), response](const Call& call) -> absl::Status {
        if (auto s = CheckRole(input.action, RolesOf(call)); !s.ok()) return s;
        if (auto s = RequireId("step.case_id", step.case_id()); !s.ok()) return s;
        if (auto s = ValidateRequestId(step.request_id()); !s.ok()) return s;
        if (auto s = ValidateStepInput(input); !s.ok()) return s;
        return Assign(
            cases_.TakeStep(call.principal.scope_path(), call.Write(*env_.clock, step.request_id()),
                            step.case_id(), step.etag(), input),
            response);
      });
}

grpc::ServerUnaryReactor* CaseHandler::RegisterCase(grpc::CallbackServerContext* context,
                                                    const v1::CaseStepRequest* request,
                                                    v1::Case* response) {
  return Step(context, *request, StepOf(CaseAction::kRegister, *request), response);
}

grpc::ServerUnaryReactor* CaseHandler::RejectCase(grpc::CallbackServerContext* context,
                                                  const v1::CaseStepRequest* request,
                                                  v1::Case* response) {
  return Step(context, *request, StepOf(CaseAction::kReject, *request), response);
}

grpc::ServerUnaryReactor* CaseHandler::DispatchCase(grpc::CallbackServerContext* context,
                                                    const v1::DispatchCaseRequest* request,
                                                    v1::Case* response) {
  CaseStepInput input = StepOf(CaseAction::kDispatch, request->step());
  input.department_id = request->department_id();
  return Step(context, request->step(), std::move(input), response);
}

grpc::ServerUnaryReactor* CaseHandler::AcceptCase(grpc::CallbackServerContext* context,
                                                  const v1::CaseStepRequest* request,
                                                  v1::Case* response) {
  return Step(context, *request, StepOf(CaseAction::kAccept, *request), response);
}

grpc::ServerUnaryReactor* CaseHandler::DeclineCase(grpc::CallbackServerContext* context,
                                                   const v1::CaseStepRequest* request,
                                                   v1::Case* response) {
  return Step(context, *request, StepOf(CaseAction::kDecline, *request), response);
}

grpc::ServerUnaryReactor* CaseHandler::ReportCaseHandled(grpc::CallbackServerContext* context,
                                                         const v1::CaseStepRequest* request,
                                                         v1::Case* response) {
  return Step(context, *request, StepOf(CaseAction::kReportHandled, *request), response);
}

grpc::ServerUnaryReactor* CaseHandler::VerifyCase(grpc::CallbackServerContext* context,
                                                  const v1::VerifyCaseRequest* request,
                                                  v1::Case* response) {
  const CaseAction action =
      request->passed() ? CaseAction::kVerifyPassed : CaseAction::kVerifyFailed;
  return Step(context, request->step(), StepOf(action, request->step()), response);
}

grpc::ServerUnaryReactor* CaseHandler::CloseCase(grpc::CallbackServerContext* context,
                                                 const v1::CaseStepRequest* request,
                                                 v1::Case* response) {
  return Step(context, *request, StepOf(CaseAction::kClose, *request), response);
}

grpc::ServerUnaryReactor* CaseHandler::EvaluateCase(grpc::CallbackServerContext* context,
                                                    const v1::EvaluateCaseRequest* request,
                                                    v1::Case* response) {
  const v1::Case::Resolution resolution = request->resolution();
  CaseStepInput input = StepOf(resolution == v1::Case::NOT_FIXED ? CaseAction::kEvaluateNotFixed
                                                                 : CaseAction::kEvaluateResolved,
                               request->step());
  input.resolution = resolution;
  input.satisfaction = request->satisfaction();
  return Step(context, request->step(), std::move(input), response);
}

grpc::ServerUnaryReactor* CaseHandler::SuspendCase(grpc::CallbackServerContext* context,
                                                   const v1::CaseStepRequest* request,
                                                   v1::Case* response) {
  return Step(context, *request, StepOf(CaseAction::kSuspend, *request), response);
}

grpc::ServerUnaryReactor* CaseHandler::ResumeCase(grpc::CallbackServerContext* context,
                                                  const v1::CaseStepRequest* request,
                                                  v1::Case* response) {
  return Step(context, *request, StepOf(CaseAction::kResume, *request), response);
}

grpc::ServerUnaryReactor* CaseHandler::RequestCaseExtension(
    grpc::CallbackServerContext* context, const v1::RequestCaseExtensionRequest* request,
    v1::Case* response) {
  CaseStepInput input = StepOf(CaseAction::kRequestExtension, request->step());
  input.extra_minutes = request->extra_minutes();
  return Step(context, request->step(), std::move(input), response);
}

grpc::ServerUnaryReactor* CaseHandler::DecideCaseExtension(
    grpc::CallbackServerContext* context, const v1::DecideCaseExtensionRequest* request,
    v1::Case* response) {
  CaseStepInput input = StepOf(CaseAction::kDecideExtension, request->step());
  input.approved = request->approved();
  return Step(context, request->step(), std::move(input), response);
}

grpc::ServerUnaryReactor* CaseHandler::MergeCases(grpc::CallbackServerContext* context,
                                                  const v1::MergeCasesRequest* request,
                                                  v1::MergeCasesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::CaseStepRequest& step = request->step();
    CaseStepInput input = StepOf(CaseAction::kMerge, step);
    input.into_case_id = request->into_case_id();
    if (auto s = CheckRole(input.action, RolesOf(call)); !s.ok()) return s;
    if (auto s = RequireId("step.case_id", step.case_id()); !s.ok()) return s;
    if (auto s = ValidateRequestId(step.request_id()); !s.ok()) return s;
    if (auto s = ValidateStepInput(input); !s.ok()) return s;
    if (input.into_case_id == step.case_id()) {
      return InvalidField("into_case_id", "SAME_CASE", "a case cannot be merged into itself");
    }
    auto merged =
        cases_.Merge(call.principal.scope_path(), call.Write(*env_.clock, step.request_id()),
                     step.case_id(), step.etag(), input);
    if (!merged.ok()) return merged.status();
    *response->mutable_merged() = std::move(merged->merged);
    *response->mutable_kept() = std::move(merged->kept);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CaseHandler::RecordMediation(grpc::CallbackServerContext* context,
                                                       const v1::RecordMediationRequest* request,
                                                       v1::Mediation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = CheckRoles({"grid.handler", "grid.supervisor", "grid.admin"}, RolesOf(call),
                            "record a mediation");
        !s.ok()) {
      return s;
    }
    if (auto s = RequireId("case_id", request->case_id()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    if (auto s = ValidateMediation(request->mediation(), write.now); !s.ok()) return s;
    // Only what the caller may say; ids and the recorder are grid's.
    v1::Mediation mediation;
    mediation.set_mediator_ref(request->mediation().mediator_ref());
    *mediation.mutable_party_refs() = request->mediation().party_refs();
    *mediation.mutable_held_time() = request->mediation().held_time();
    mediation.set_outcome(request->mediation().outcome());
    mediation.set_agreement(request->mediation().agreement());
    return Assign(mediations_.Record(call.principal.scope_path(), write, request->case_id(),
                                     request->etag(), mediation),
                  response);
  });
}

grpc::ServerUnaryReactor* CaseHandler::ListMediations(grpc::CallbackServerContext* context,
                                                      const v1::ListMediationsRequest* request,
                                                      v1::ListMediationsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("case_id", request->case_id()); !s.ok()) return s;
    auto found = mediations_.List(call.principal.scope_path(), request->case_id());
    if (!found.ok()) return found.status();
    for (auto& m : *found) *response->add_mediations() = std::move(m);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CaseHandler::BlowWhistle(grpc::CallbackServerContext* context,
                                                   const v1::BlowWhistleRequest* request,
                                                   v1::Whistle* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = CheckRoles({"grid.dispatcher", "grid.admin"}, RolesOf(call), "blow the whistle");
        !s.ok()) {
      return s;
    }
    if (auto s = RequireId("case_id", request->case_id()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    auto minutes = ValidateWhistle(*request);
    if (!minutes.ok()) return minutes.status();
    return Assign(
        whistles_.Blow(call.principal.scope_path(), call.Write(*env_.clock, request->request_id()),
                       *request, *minutes),
        response);
  });
}

grpc::ServerUnaryReactor* CaseHandler::ReportIn(grpc::CallbackServerContext* context,
                                                const v1::ReportInRequest* request,
                                                v1::Whistle* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s =
            CheckRoles({"grid.handler", "grid.admin"}, RolesOf(call), "report in for a department");
        !s.ok()) {
      return s;
    }
    if (auto s = RequireId("whistle_id", request->whistle_id()); !s.ok()) return s;
    if (auto s = RequireId("department_id", request->department_id()); !s.ok()) return s;
    if (auto s = ValidateText("note", request->note(), kMaxNoteBytes, false); !s.ok()) return s;
    return Assign(
        whistles_.ReportIn(call.principal.scope_path(), call.Write(*env_.clock), *request),
        response);
  });
}

grpc::ServerUnaryReactor* CaseHandler::ListWhistles(grpc::CallbackServerContext* context,
                                                    const v1::ListWhistlesRequest* request,
                                                    v1::ListWhistlesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("case_id", request->case_id()); !s.ok()) return s;
    auto found = whistles_.List(call.principal.scope_path(), request->case_id());
    if (!found.ok()) return found.status();
    for (auto& w : *found) *response->add_whistles() = std::move(w);
    return absl::OkStatus();
  });
}

}  // namespace grassroots::grid
