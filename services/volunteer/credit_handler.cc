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
    return Assign(
        store_.Apply(call.principal.scope_path(), call.Write(*env_.clock), request->credit()),
        response);
  });
}

}  // namespace grassroots::volunteer
