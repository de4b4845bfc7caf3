#include "services/orgs/evaluation_handler.h"

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/orgs/evaluation_rules.h"
#include "services/orgs/linkage_rules.h"
#include "services/orgs/request_dates.h"

namespace grassroots::orgs {

grpc::ServerUnaryReactor* EvaluationHandler::OpenEvaluation(
    grpc::CallbackServerContext* context, const v1::OpenEvaluationRequest* request,
    v1::Evaluation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    if (auto s = RequireId("secretary_member_id", request->secretary_member_id()); !s.ok()) {
      return s;
    }
    if (auto s = ValidateEvaluationYear(request->year(), Today(*env_.clock).year()); !s.ok()) {
      return s;
    }
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    return Assign(
        store_.Open(call.principal.scope_path(), call.Write(*env_.clock, request->request_id()),
                    request->organisation_id(), request->year(), request->secretary_member_id()),
        response);
  });
}

grpc::ServerUnaryReactor* EvaluationHandler::RecordSelfAssessment(
    grpc::CallbackServerContext* context, const v1::RecordSelfAssessmentRequest* request,
    v1::Evaluation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateScore("score", request->score()); !s.ok()) return s;
    if (auto s = ValidateText("report", request->report(), 10000); !s.ok()) return s;
    v1::SelfAssessment self;
    self.set_score(request->score());
    self.set_report(request->report());
    return Assign(store_.RecordSelfAssessment(call.principal.scope_path(), call.Write(*env_.clock),
                                              request->id(), request->etag(), self),
                  response);
  });
}

grpc::ServerUnaryReactor* EvaluationHandler::RecordResidentsRating(
    grpc::CallbackServerContext* context, const v1::RecordResidentsRatingRequest* request,
    v1::Evaluation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateResidentsRating(request->residents_asked(), request->satisfied(),
                                         request->basically_satisfied(), request->dissatisfied());
        !s.ok()) {
      return s;
    }
    v1::ResidentsRating rating;
    rating.set_residents_asked(request->residents_asked());
    rating.set_satisfied(request->satisfied());
    rating.set_basically_satisfied(request->basically_satisfied());
    rating.set_dissatisfied(request->dissatisfied());
    return Assign(store_.RecordResidentsRating(call.principal.scope_path(), call.Write(*env_.clock),
                                               request->id(), request->etag(), rating),
                  response);
  });
}

grpc::ServerUnaryReactor* EvaluationHandler::RecordHigherReview(
    grpc::CallbackServerContext* context, const v1::RecordHigherReviewRequest* request,
    v1::Evaluation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateScore("score", request->score()); !s.ok()) return s;
    if (auto s = ValidateText("comment", request->comment(), 5000); !s.ok()) return s;
    v1::HigherReview review;
    review.set_score(request->score());
    review.set_comment(request->comment());
    return Assign(store_.RecordHigherReview(call.principal.scope_path(), call.Write(*env_.clock),
                                            request->id(), request->etag(), review),
                  response);
  });
}

grpc::ServerUnaryReactor* EvaluationHandler::GetEvaluation(grpc::CallbackServerContext* context,
                                                           const v1::GetEvaluationRequest* request,
                                                           v1::Evaluation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* EvaluationHandler::ListEvaluations(
    grpc::CallbackServerContext* context, const v1::ListEvaluationsRequest* request,
    v1::ListEvaluationsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    if (request->year() != 0) {
      if (auto s = ValidateEvaluationYear(request->year(), Today(*env_.clock).year()); !s.ok()) {
        return s;
      }
    }
    if (!v1::EvaluationGrade_IsValid(request->grade())) {
      return InvalidField("grade", "GRADE_INVALID", "not a grade");
    }
    if (!v1::EvaluationState_IsValid(request->state())) {
      return InvalidField("state", "STATE_INVALID", "not an evaluation state");
    }
    const EvaluationFilter filter{request->area_id(), request->year(), request->grade(),
                                  request->state()};
    const std::string query =
        absl::StrCat("evaluations|", call.principal.scope_path(), "|", filter.area_id, "|",
                     filter.year, "|", filter.grade, "|", filter.state);
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page = store_.List(call.principal.scope_path(), filter, *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& e : page->evaluations) *response->add_evaluations() = std::move(e);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

}  // namespace grassroots::orgs
