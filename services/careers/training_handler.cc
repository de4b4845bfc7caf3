#include "services/careers/training_handler.h"

#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/careers/training_rules.h"
#include "services/careers/worker_rules.h"

namespace grassroots::careers {

grpc::ServerUnaryReactor* TrainingHandler::CreateCourse(grpc::CallbackServerContext* context,
                                                        const v1::CreateCourseRequest* request,
                                                        v1::Course* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidateCourse(request->course()), ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(
        store_.CreateCourse(call.principal.scope_path(),
                            call.Write(*env_.clock, request->request_id()), request->course()),
        response);
  });
}

grpc::ServerUnaryReactor* TrainingHandler::GetCourse(grpc::CallbackServerContext* context,
                                                     const v1::GetCourseRequest* request,
                                                     v1::Course* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.GetCourse(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* TrainingHandler::RecordTrainingResult(
    grpc::CallbackServerContext* context, const v1::RecordTrainingResultRequest* request,
    v1::TrainingResult* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateTrainingResult(request->result()); !s.ok()) return s;
    return Assign(
        store_.Record(call.principal.scope_path(), call.Write(*env_.clock), request->result()),
        response);
  });
}

grpc::ServerUnaryReactor* TrainingHandler::ListTrainingResults(
    grpc::CallbackServerContext* context, const v1::ListTrainingResultsRequest* request,
    v1::ListTrainingResultsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("worker_id", request->worker_id()); !s.ok()) return s;
    auto results = store_.Results(call.principal.scope_path(), request->worker_id());
    if (!results.ok()) return results.status();
    for (v1::TrainingResult& r : *results) *response->add_results() = std::move(r);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TrainingHandler::GetTrainingCoverage(
    grpc::CallbackServerContext* context, const v1::GetTrainingCoverageRequest* request,
    v1::TrainingCoverage* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidatePath("path", request->path(), true); !s.ok()) return s;
    if (request->year() < 2000 || request->year() > 2100) {
      return InvalidField("year", "YEAR_INVALID", "must be 2000 to 2100");
    }
    return Assign(store_.Coverage(call.principal.scope_path(), request->path(), request->year()),
                  response);
  });
}

grpc::ServerUnaryReactor* TrainingHandler::ListQualificationChanges(
    grpc::CallbackServerContext* context, const v1::ListQualificationChangesRequest* request,
    v1::ListQualificationChangesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    // The feed is the whole city's: grid follows every community.
    if (!call.principal.scope_path().empty()) {
      return PermissionDenied("FEED_NEEDS_CITY_SCOPE",
                              "the qualification feed is read with the whole city's scope");
    }
    if (request->after_sequence() < 0) {
      return InvalidField("after_sequence", "SEQUENCE_INVALID", "must not be negative");
    }
    auto size = EffectivePageSize(request->page_size());
    if (!size.ok()) return size.status();
    auto changes = feed_.List(request->after_sequence(), *size);
    if (!changes.ok()) return changes.status();
    response->set_last_sequence(changes->empty() ? request->after_sequence()
                                                 : changes->back().sequence());
    for (v1::QualificationChange& c : *changes) *response->add_changes() = std::move(c);
    return absl::OkStatus();
  });
}

}  // namespace grassroots::careers
