#include "services/careers/assessment_handler.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/careers/area_assessment.h"
#include "services/careers/assessment_rules.h"
#include "services/careers/pay_rules.h"
#include "services/careers/worker_rules.h"

namespace grassroots::careers {
namespace {

// Entries one AssessArea takes: a district's workers with room to spare.
constexpr int kMaxAreaScores = 50000;

// The position after which a page starts, from the request's token.
absl::StatusOr<std::string> After(const std::string& token, const std::string& query) {
  if (token.empty()) return std::string();
  return DecodePageToken(token, query);
}

}  // namespace

grpc::ServerUnaryReactor* AssessmentHandler::SetAssessmentWeights(
    grpc::CallbackServerContext* context, const v1::SetAssessmentWeightsRequest* request,
    v1::AssessmentWeights* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidatePath("weights.region_path", request->weights().region_path(), true),
          ValidateWeightSet(request->weights())}) {
      if (!s.ok()) return s;
    }
    return Assign(
        store_.SetWeights(call.principal.scope_path(), call.Write(*env_.clock), request->weights()),
        response);
  });
}

grpc::ServerUnaryReactor* AssessmentHandler::GetAssessmentWeights(
    grpc::CallbackServerContext* context, const v1::GetAssessmentWeightsRequest* request,
    v1::AssessmentWeights* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidatePath("path", request->path(), true), ValidateYear("year", request->year())}) {
      if (!s.ok()) return s;
    }
    if (!PathWithin(request->path(), call.principal.scope_path())) {
      return PermissionDenied("OUT_OF_SCOPE", "path lies outside the caller's jurisdiction");
    }
    return Assign(store_.WeightsFor(request->path(), request->year()), response);
  });
}

grpc::ServerUnaryReactor* AssessmentHandler::RecordAssessment(
    grpc::CallbackServerContext* context, const v1::RecordAssessmentRequest* request,
    v1::Assessment* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireId("worker_id", request->worker_id()), ValidateYear("year", request->year()),
          ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    // A retry answers as the first call did, even while grid is away.
    if (auto earlier = store_.Earlier(write)) {
      *response = *std::move(earlier);
      return absl::OkStatus();
    }
    const std::string& scope = call.principal.scope_path();
    auto community = store_.CommunityOf(scope, request->worker_id());
    if (!community.ok()) return community.status();
    auto weights = store_.WeightsFor(*community, request->year());
    if (!weights.ok()) return weights.status();
    auto cases = grid_.ForWorker(call, *community, request->worker_id(), request->year());
    if (!cases.ok()) return cases.status();
    v1::WorkerScores scores;
    scores.set_worker_id(request->worker_id());
    scores.set_self_review_score(request->self_review_score());
    scores.set_field_visit_score(request->field_visit_score());
    scores.set_survey_score(request->survey_score());
    auto assessed = AssessWorker(*weights, scores, *cases, request->year());
    if (!assessed.ok()) return assessed.status();
    assessed->set_community_path(*community);
    return Assign(store_.Record(scope, write, *assessed), response);
  });
}

grpc::ServerUnaryReactor* AssessmentHandler::AssessArea(grpc::CallbackServerContext* context,
                                                        const v1::AssessAreaRequest* request,
                                                        v1::AssessAreaSummary* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidatePath("path", request->path(), true), ValidateYear("year", request->year())}) {
      if (!s.ok()) return s;
    }
    if (request->scores_size() > kMaxAreaScores) {
      return InvalidField("scores", "TOO_MANY_SCORES",
                          absl::StrCat("at most ", kMaxAreaScores, " workers per call"));
    }
    return Assign(careers::AssessArea(call, call.Write(*env_.clock), store_, grid_, *request),
                  response);
  });
}

grpc::ServerUnaryReactor* AssessmentHandler::GetAssessment(grpc::CallbackServerContext* context,
                                                           const v1::GetAssessmentRequest* request,
                                                           v1::Assessment* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireId("worker_id", request->worker_id()), ValidateYear("year", request->year())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Get(call.principal.scope_path(), request->worker_id(), request->year()),
                  response);
  });
}

grpc::ServerUnaryReactor* AssessmentHandler::ListAssessments(
    grpc::CallbackServerContext* context, const v1::ListAssessmentsRequest* request,
    v1::ListAssessmentsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const std::string& scope = call.principal.scope_path();
    if (!request->worker_id().empty()) {
      if (!request->path_prefix().empty() || request->year() != 0) {
        return InvalidField("worker_id", "WORKER_OR_YEAR",
                            "list a worker's assessments or a year's under a path, not both");
      }
      auto found = store_.OfWorker(scope, request->worker_id());
      if (!found.ok()) return found.status();
      for (v1::Assessment& a : *found) *response->add_assessments() = std::move(a);
      return absl::OkStatus();
    }
    for (const absl::Status& s : {ValidatePath("path_prefix", request->path_prefix(), true),
                                  ValidateYear("year", request->year())}) {
      if (!s.ok()) return s;
    }
    auto size = EffectivePageSize(request->page_size());
    if (!size.ok()) return size.status();
    const std::string query =
        absl::StrCat("assessments|", scope, "|", request->path_prefix(), "|", request->year());
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page = store_.OfYear(scope, request->path_prefix(), request->year(), *size, *after);
    if (!page.ok()) return page.status();
    for (v1::Assessment& a : page->items) *response->add_assessments() = std::move(a);
    if (!page->last_key.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_key));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentHandler::ListAssessmentProposals(
    grpc::CallbackServerContext* context, const v1::ListAssessmentProposalsRequest* request,
    v1::ListAssessmentProposalsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s : {ValidatePath("path_prefix", request->path_prefix(), true),
                                  ValidateYear("year", request->year())}) {
      if (!s.ok()) return s;
    }
    auto size = EffectivePageSize(request->page_size());
    if (!size.ok()) return size.status();
    const std::string& scope = call.principal.scope_path();
    const std::string query =
        absl::StrCat("proposals|", scope, "|", request->path_prefix(), "|", request->year());
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page = store_.Proposals(scope, request->path_prefix(), request->year(), *size, *after);
    if (!page.ok()) return page.status();
    for (v1::AssessmentProposal& p : page->items) *response->add_proposals() = std::move(p);
    if (!page->last_key.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_key));
    }
    return absl::OkStatus();
  });
}

}  // namespace grassroots::careers
