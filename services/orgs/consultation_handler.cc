#include "services/orgs/consultation_handler.h"

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/orgs/consultation_rules.h"
#include "services/orgs/resident_input_rules.h"

namespace grassroots::orgs {
namespace {

absl::StatusOr<std::string> After(const std::string& token, const std::string& query) {
  if (token.empty()) return std::string();
  return DecodePageToken(token, query);
}

// What a household sends: the consultation and the household's reference.
absl::Status CheckHouseholdInput(const std::string& consultation_id,
                                 const std::string& household_id) {
  if (auto s = RequireId("consultation_id", consultation_id); !s.ok()) return s;
  return ValidateHouseholdId("household_id", household_id);
}

}  // namespace

grpc::ServerUnaryReactor* ConsultationHandler::OpenConsultation(
    grpc::CallbackServerContext* context, const v1::OpenConsultationRequest* request,
    v1::Consultation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Consultation& consultation = request->consultation();
    if (auto s = RequireId("consultation.organisation_id", consultation.organisation_id());
        !s.ok()) {
      return s;
    }
    if (!consultation.matter_id().empty()) {
      if (auto s = RequireId("consultation.matter_id", consultation.matter_id()); !s.ok()) return s;
    }
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    if (auto s = ValidateNewConsultation(consultation, write.now); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    v1::Consultation requested;
    requested.set_organisation_id(consultation.organisation_id());
    requested.set_audience(consultation.audience());
    requested.set_question(consultation.question());
    *requested.mutable_options() = consultation.options();
    *requested.mutable_close_time() = consultation.close_time();
    *requested.mutable_representative_household_ids() = consultation.representative_household_ids();
    requested.set_matter_id(consultation.matter_id());
    return Assign(store_.Open(call.principal.scope_path(), write, requested), response);
  });
}

grpc::ServerUnaryReactor* ConsultationHandler::GetConsultation(
    grpc::CallbackServerContext* context, const v1::GetConsultationRequest* request,
    v1::Consultation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id(), env_.clock->Now()),
                  response);
  });
}

grpc::ServerUnaryReactor* ConsultationHandler::ListConsultations(
    grpc::CallbackServerContext* context, const v1::ListConsultationsRequest* request,
    v1::ListConsultationsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    ConsultationFilter filter;
    filter.organisation_id = request->organisation_id();
    filter.state = request->state();
    if (!filter.organisation_id.empty()) {
      if (auto s = RequireId("organisation_id", filter.organisation_id); !s.ok()) return s;
    }
    if (!v1::Consultation::State_IsValid(filter.state)) {
      return InvalidField("state", "STATE_INVALID", "must be OPEN or CLOSED");
    }
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query = absl::StrCat("consultations|", call.principal.scope_path(), "|",
                                           filter.organisation_id, "|", filter.state);
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page =
        store_.List(call.principal.scope_path(), filter, *page_size, *after, env_.clock->Now());
    if (!page.ok()) return page.status();
    for (auto& c : page->consultations) *response->add_consultations() = std::move(c);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ConsultationHandler::SubmitOpinion(
    grpc::CallbackServerContext* context, const v1::SubmitOpinionRequest* request,
    v1::ConsultationOpinion* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = CheckHouseholdInput(request->consultation_id(), request->household_id());
        !s.ok()) {
      return s;
    }
    if (auto s = ValidateFreeText("text", request->text(), 2000, true); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    return Assign(store_.SubmitOpinion(
                      call.principal.scope_path(), call.Write(*env_.clock, request->request_id()),
                      request->consultation_id(), request->household_id(), request->text()),
                  response);
  });
}

grpc::ServerUnaryReactor* ConsultationHandler::ListOpinions(grpc::CallbackServerContext* context,
                                                            const v1::ListOpinionsRequest* request,
                                                            v1::ListOpinionsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("consultation_id", request->consultation_id()); !s.ok()) return s;
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query =
        absl::StrCat("opinions|", call.principal.scope_path(), "|", request->consultation_id());
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page = store_.ListOpinions(call.principal.scope_path(), request->consultation_id(),
                                    *page_size, *after);
    if (!page.ok()) return page.status();
    for (auto& opinion : page->opinions) *response->add_opinions() = std::move(opinion);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ConsultationHandler::CastVote(grpc::CallbackServerContext* context,
                                                        const v1::CastVoteRequest* request,
                                                        v1::ConsultationBallot* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = CheckHouseholdInput(request->consultation_id(), request->household_id());
        !s.ok()) {
      return s;
    }
    if (request->option_number() < 1) {
      return InvalidField("option_number", "OPTION_INVALID", "options are numbered from 1");
    }
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    return Assign(
        store_.CastVote(call.principal.scope_path(), call.Write(*env_.clock, request->request_id()),
                        request->consultation_id(), request->household_id(),
                        request->option_number()),
        response);
  });
}

grpc::ServerUnaryReactor* ConsultationHandler::CloseConsultation(
    grpc::CallbackServerContext* context, const v1::CloseConsultationRequest* request,
    v1::Consultation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Close(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                               request->etag()),
                  response);
  });
}

grpc::ServerUnaryReactor* ConsultationHandler::GetConsultationResult(
    grpc::CallbackServerContext* context, const v1::GetConsultationResultRequest* request,
    v1::ConsultationResult* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("consultation_id", request->consultation_id()); !s.ok()) return s;
    return Assign(
        store_.Result(call.principal.scope_path(), request->consultation_id(), env_.clock->Now()),
        response);
  });
}

}  // namespace grassroots::orgs
