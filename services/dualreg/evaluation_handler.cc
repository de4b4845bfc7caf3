#include "services/dualreg/evaluation_handler.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/dualreg/evaluation_rules.h"

namespace grassroots::dualreg {

int EvaluationHandler::ThisYear() const {
  return static_cast<int>(absl::ToCivilYear(env_.clock->Now(), absl::UTCTimeZone()).year());
}

grpc::ServerUnaryReactor* EvaluationHandler::RecordMemberEvaluation(
    grpc::CallbackServerContext* context, const v1::RecordMemberEvaluationRequest* request,
    v1::MemberEvaluation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateEvaluation(request->evaluation(), ThisYear()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    v1::MemberEvaluation evaluation;
    evaluation.set_registration_id(request->evaluation().registration_id());
    evaluation.set_year(request->evaluation().year());
    evaluation.set_grade(request->evaluation().grade());
    evaluation.set_comment(request->evaluation().comment());
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    auto made = store_.Record(call.principal.scope_path(), write, evaluation);
    if (made.ok() && MadeBy(made->create_time(), write)) {
      metrics_.EvaluationRecorded(made->community_path());
    }
    return Assign(std::move(made), response);
  });
}

grpc::ServerUnaryReactor* EvaluationHandler::ListMemberEvaluations(
    grpc::CallbackServerContext* context, const v1::ListMemberEvaluationsRequest* request,
    v1::ListMemberEvaluationsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateEvaluationYear("year", request->year(), ThisYear()); !s.ok()) return s;
    return Assign(store_.List(call.principal.scope_path(), *request), response);
  });
}

grpc::ServerUnaryReactor* EvaluationHandler::ListUnevaluatedMembers(
    grpc::CallbackServerContext* context, const v1::ListUnevaluatedMembersRequest* request,
    v1::ListUnevaluatedMembersResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateEvaluationYear("year", request->year(), ThisYear()); !s.ok()) return s;
    return Assign(store_.ListUnevaluated(call.principal.scope_path(), *request), response);
  });
}

}  // namespace grassroots::dualreg
