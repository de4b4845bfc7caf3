#include "services/volunteer/expiry_handler.h"

#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/volunteer/expiry_rules.h"
#include "services/volunteer/ledger_rules.h"

namespace grassroots::volunteer {

absl::StatusOr<v1::ExpirePointsResponse> RunExpiry(ExpiryStore& store, BusinessMetrics& metrics,
                                                   const std::string& scope,
                                                   const WriteContext& write,
                                                   absl::CivilDay as_of) {
  auto run = store.Expire(scope, write, as_of);
  if (!run.ok()) return run.status();
  v1::ExpirePointsResponse response;
  response.set_accounts_checked(run->accounts_checked);
  response.set_accounts_expired(static_cast<int64_t>(run->expired.size()));
  for (const auto& [path, points] : run->expired) {
    response.set_points_expired(response.points_expired() + points);
    metrics.PointsExpired(path, points);
  }
  return response;
}

grpc::ServerUnaryReactor* ExpiryHandler::SetExpiryRule(grpc::CallbackServerContext* context,
                                                       const v1::SetExpiryRuleRequest* request,
                                                       v1::ExpiryRule* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateExpiryRule(request->rule()); !s.ok()) return s;
    return Assign(store_.SetRule(call.principal.scope_path(), call.Write(clock_), request->rule()),
                  response);
  });
}

grpc::ServerUnaryReactor* ExpiryHandler::GetExpiryRule(grpc::CallbackServerContext* context,
                                                       const v1::GetExpiryRuleRequest* request,
                                                       v1::ExpiryRule* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateCommunityPath("community_path", request->community_path()); !s.ok()) {
      return s;
    }
    return Assign(store_.GetRule(call.principal.scope_path(), request->community_path()), response);
  });
}

grpc::ServerUnaryReactor* ExpiryHandler::ExpirePoints(grpc::CallbackServerContext* context,
                                                      const v1::ExpirePointsRequest* request,
                                                      v1::ExpirePointsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const WriteContext write = call.Write(clock_);
    auto as_of = ParseAsOfDate(request->as_of_date(), write.now);
    if (!as_of.ok()) return as_of.status();
    return Assign(RunExpiry(store_, metrics_, call.principal.scope_path(), write, *as_of),
                  response);
  });
}

}  // namespace grassroots::volunteer
