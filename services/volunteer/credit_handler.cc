#include "services/volunteer/credit_handler.h"

#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/volunteer/credit_rules.h"

namespace grassroots::volunteer {

grpc::ServerUnaryReactor* CreditHandler::CreditEvent(grpc::CallbackServerContext* context,
                                                     const v1::CreditEventRequest* request,
                                                     v1::Credit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateCredit(request->credit()); !s.ok()) return s;
    const WriteContext write = call.Write(*env_.clock);
    auto credited = store_.Apply(call.principal.scope_path(), write, request->credit());
    if (credited.ok() && MadeBy(credited->create_time(), write)) {
      metrics_.PointsIssued(credited->community_path(), credited->points());
    }
    return Assign(std::move(credited), response);
  });
}

grpc::ServerUnaryReactor* CreditHandler::RecordGoodDeed(grpc::CallbackServerContext* context,
                                                        const v1::RecordGoodDeedRequest* request,
                                                        v1::Credit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateGoodDeed(*request); !s.ok()) return s;
    const WriteContext write = call.Write(*env_.clock);
    auto credited = store_.RecordGoodDeed(call.principal.scope_path(), write,
                                          GoodDeedCredit(*request), request->deed_type());
    if (credited.ok() && MadeBy(credited->create_time(), write)) {
      metrics_.PointsIssued(credited->community_path(), credited->points());
    }
    return Assign(std::move(credited), response);
  });
}

}  // namespace grassroots::volunteer
