#include "services/orgs/decision_handler.h"

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/orgs/member_rules.h"
#include "services/orgs/resident_input_rules.h"

namespace grassroots::orgs {
namespace {

constexpr size_t kMaxNote = 4000;

// Decodes a page token of `query`; empty for the first page.
absl::StatusOr<std::string> After(const std::string& token, const std::string& query) {
  if (token.empty()) return std::string();
  return DecodePageToken(token, query);
}

}  // namespace

grpc::ServerUnaryReactor* DecisionHandler::ProposeMatter(grpc::CallbackServerContext* context,
                                                         const v1::ProposeMatterRequest* request,
                                                         v1::Matter* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Matter& matter = request->matter();
    if (auto s = RequireId("matter.organisation_id", matter.organisation_id()); !s.ok()) return s;
    if (auto s = ValidateFreeText("matter.title", matter.title(), 200, true); !s.ok()) return s;
    if (auto s = ValidateFreeText("matter.description", matter.description(), kMaxNote, true);
        !s.ok()) {
      return s;
    }
    if (!matter.proposer_member_id().empty()) {
      if (auto s = RequireId("matter.proposer_member_id", matter.proposer_member_id()); !s.ok()) {
        return s;
      }
    }
    auto date = ParseDate("proposal_date", request->proposal_date());
    if (!date.ok()) return date.status();
    if (auto s = ValidateParticipants("participants", request->participants()); !s.ok()) return s;
    if (auto s = ValidateFreeText("note", request->note(), kMaxNote, false); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    MatterProposal proposal;
    proposal.matter.set_organisation_id(matter.organisation_id());
    proposal.matter.set_title(matter.title());
    proposal.matter.set_description(matter.description());
    proposal.matter.set_proposer_member_id(matter.proposer_member_id());
    proposal.date = *date;
    proposal.participants = request->participants();
    proposal.note = request->note();
    return Assign(store_.Propose(call.principal.scope_path(),
                                 call.Write(*env_.clock, request->request_id()), proposal, rules_),
                  response);
  });
}

grpc::ServerUnaryReactor* DecisionHandler::GetMatter(grpc::CallbackServerContext* context,
                                                     const v1::GetMatterRequest* request,
                                                     v1::Matter* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id(), env_.clock->Now(), rules_),
                  response);
  });
}

grpc::ServerUnaryReactor* DecisionHandler::ListMatters(grpc::CallbackServerContext* context,
                                                       const v1::ListMattersRequest* request,
                                                       v1::ListMattersResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    MatterFilter filter;
    filter.organisation_id = request->organisation_id();
    filter.area_id = request->area_id();
    filter.state = request->state();
    if (!filter.organisation_id.empty() && !filter.area_id.empty()) {
      return InvalidField("area_id", "FILTER_CONFLICT",
                          "give an organisation or a place, not both");
    }
    if (!filter.organisation_id.empty()) {
      if (auto s = RequireId("organisation_id", filter.organisation_id); !s.ok()) return s;
    }
    if (!filter.area_id.empty()) {
      if (auto s = RequireId("area_id", filter.area_id); !s.ok()) return s;
    }
    if (!v1::Matter::State_IsValid(filter.state)) {
      return InvalidField("state", "STATE_INVALID", "not a matter state");
    }
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query =
        absl::StrCat("matters|", call.principal.scope_path(), "|", filter.organisation_id, "|",
                     filter.area_id, "|", filter.state);
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page = store_.List(call.principal.scope_path(), filter, *page_size, *after,
                            env_.clock->Now(), rules_);
    if (!page.ok()) return page.status();
    for (auto& matter : page->matters) *response->add_matters() = std::move(matter);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DecisionHandler::RecordMeeting(
    grpc::CallbackServerContext* context, const v1::RecordMeetingStepRequest* request,
    v1::Matter* response, StepKind kind) {
  return HandleUnary(
      context, env_, [this, request, response, kind](const Call& call) -> absl::Status {
        if (auto s = RequireId("matter_id", request->matter_id()); !s.ok()) return s;
        auto date = ParseDate("date", request->date());
        if (!date.ok()) return date.status();
        if (auto s = ValidateParticipants("participants", request->participants()); !s.ok()) {
          return s;
        }
        if (auto s = ValidateFreeText("note", request->note(), kMaxNote, false); !s.ok()) return s;
        MeetingRecord meeting;
        meeting.kind = kind;
        meeting.date = *date;
        meeting.participants = request->participants();
        meeting.vote = request->vote();
        // Counted by the service: the participants present, and the
        // assembly's entitled from the roster.
        meeting.vote.clear_present();
        if (kind == v1::MatterStep::ASSEMBLY_REVIEW) meeting.vote.clear_entitled();
        meeting.note = request->note();
        return Assign(store_.RecordMeeting(call.principal.scope_path(), call.Write(*env_.clock),
                                           request->matter_id(), request->etag(), meeting, rules_),
                      response);
      });
}

grpc::ServerUnaryReactor* DecisionHandler::RecordDeliberation(
    grpc::CallbackServerContext* context, const v1::RecordMeetingStepRequest* request,
    v1::Matter* response) {
  return RecordMeeting(context, request, response, v1::MatterStep::DELIBERATION);
}

grpc::ServerUnaryReactor* DecisionHandler::RecordAssemblyReview(
    grpc::CallbackServerContext* context, const v1::RecordMeetingStepRequest* request,
    v1::Matter* response) {
  return RecordMeeting(context, request, response, v1::MatterStep::ASSEMBLY_REVIEW);
}

grpc::ServerUnaryReactor* DecisionHandler::RecordRepresentativesResolution(
    grpc::CallbackServerContext* context, const v1::RecordMeetingStepRequest* request,
    v1::Matter* response) {
  return RecordMeeting(context, request, response, v1::MatterStep::REPRESENTATIVES_RESOLUTION);
}

grpc::ServerUnaryReactor* DecisionHandler::RecordStreetReview(
    grpc::CallbackServerContext* context, const v1::RecordStreetReviewRequest* request,
    v1::Matter* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("matter_id", request->matter_id()); !s.ok()) return s;
    auto date = ParseDate("date", request->date());
    if (!date.ok()) return date.status();
    const bool approve = request->decision() == v1::RecordStreetReviewRequest::APPROVE;
    if (!approve && request->decision() != v1::RecordStreetReviewRequest::REJECT) {
      return InvalidField("decision", "DECISION_REQUIRED", "must be APPROVE or REJECT");
    }
    if (auto s = ValidateFreeText("reason", request->reason(), 1000, !approve); !s.ok()) {
      if (ErrorReason(s) == "TEXT_REQUIRED") {
        return InvalidField("reason", "REASON_REQUIRED", "say why the street rejects the matter");
      }
      return s;
    }
    if (auto s = ValidateParticipants("participants", request->participants()); !s.ok()) return s;
    StreetReviewRecord review;
    review.date = *date;
    review.approve = approve;
    review.reason = request->reason();
    review.participants = request->participants();
    return Assign(store_.RecordStreetReview(call.principal.scope_path(), call.Write(*env_.clock),
                                            request->matter_id(), request->etag(), review, rules_),
                  response);
  });
}

grpc::ServerUnaryReactor* DecisionHandler::Publish(grpc::CallbackServerContext* context,
                                                   const v1::PublishMatterRequest* request,
                                                   v1::Matter* response, StepKind publication) {
  return HandleUnary(
      context, env_, [this, request, response, publication](const Call& call) -> absl::Status {
        if (auto s = RequireId("matter_id", request->matter_id()); !s.ok()) return s;
        if (auto s = ValidateFreeText("content", request->content(), kMaxNote, true); !s.ok()) {
          return s;
        }
        return Assign(store_.Publish(call.principal.scope_path(), call.Write(*env_.clock),
                                     request->matter_id(), request->etag(), publication,
                                     request->content(), rules_),
                      response);
      });
}

grpc::ServerUnaryReactor* DecisionHandler::PublishResolution(
    grpc::CallbackServerContext* context, const v1::PublishMatterRequest* request,
    v1::Matter* response) {
  return Publish(context, request, response, v1::MatterStep::RESOLUTION_PUBLICATION);
}

grpc::ServerUnaryReactor* DecisionHandler::PublishResult(grpc::CallbackServerContext* context,
                                                         const v1::PublishMatterRequest* request,
                                                         v1::Matter* response) {
  return Publish(context, request, response, v1::MatterStep::RESULT_PUBLICATION);
}

grpc::ServerUnaryReactor* DecisionHandler::FileObjection(grpc::CallbackServerContext* context,
                                                         const v1::FileObjectionRequest* request,
                                                         v1::MatterObjection* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("matter_id", request->matter_id()); !s.ok()) return s;
    if (auto s = ValidateHouseholdId("household_id", request->household_id()); !s.ok()) return s;
    if (auto s = ValidateFreeText("text", request->text(), 2000, true); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    return Assign(objections_.FileObjection(
                      call.principal.scope_path(), call.Write(*env_.clock, request->request_id()),
                      request->matter_id(), request->household_id(), request->text(), rules_),
                  response);
  });
}

grpc::ServerUnaryReactor* DecisionHandler::AnswerObjection(
    grpc::CallbackServerContext* context, const v1::AnswerObjectionRequest* request,
    v1::MatterObjection* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateFreeText("answer", request->answer(), 2000, true); !s.ok()) return s;
    return Assign(
        objections_.AnswerObjection(call.principal.scope_path(), call.Write(*env_.clock),
                                    request->id(), request->etag(), request->answer(), rules_),
        response);
  });
}

grpc::ServerUnaryReactor* DecisionHandler::ListObjections(grpc::CallbackServerContext* context,
                                                          const v1::ListObjectionsRequest* request,
                                                          v1::ListObjectionsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("matter_id", request->matter_id()); !s.ok()) return s;
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query =
        absl::StrCat("objections|", call.principal.scope_path(), "|", request->matter_id());
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page = objections_.ListObjections(call.principal.scope_path(), request->matter_id(),
                                           *page_size, *after);
    if (!page.ok()) return page.status();
    for (auto& objection : page->objections) *response->add_objections() = std::move(objection);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DecisionHandler::ListOverdueObjections(
    grpc::CallbackServerContext* context, const v1::ListOverdueObjectionsRequest* request,
    v1::ListOverdueObjectionsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query = absl::StrCat("overdue-objections|", call.principal.scope_path());
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page =
        objections_.ListOverdue(call.principal.scope_path(), env_.clock->Now(), *page_size, *after);
    if (!page.ok()) return page.status();
    for (auto& overdue : page->objections) *response->add_objections() = std::move(overdue);
    if (!page->last_key.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_key));
    }
    return absl::OkStatus();
  });
}

}  // namespace grassroots::orgs
