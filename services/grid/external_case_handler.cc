#include "services/grid/external_case_handler.h"

#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/grid/external_ticket_rules.h"

namespace grassroots::grid {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
// Feed entries one poll looks at past its cursor, the system's or not.
constexpr int kScanLimit = 5000;

}  // namespace

grpc::ServerUnaryReactor* ExternalCaseHandler::GetCaseByTicket(
    grpc::CallbackServerContext* context, const v1::GetCaseByTicketRequest* request,
    v1::Case* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateExternalTicket("ticket", request->ticket()); !s.ok()) return s;
    return Assign(tickets_.GetCase(call.principal.scope_path(), request->ticket()), response);
  });
}

grpc::ServerUnaryReactor* ExternalCaseHandler::ListTicketChanges(
    grpc::CallbackServerContext* context, const v1::ListTicketChangesRequest* request,
    v1::ListTicketChangesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateExternalSystem("system", request->system()); !s.ok()) return s;
    if (request->after_sequence() < 0) {
      return InvalidField("after_sequence", "SEQUENCE_INVALID", "must not be negative");
    }
    if (request->page_size() < 0 || request->page_size() > kMaxPageSize) {
      return InvalidField("page_size", "PAGE_SIZE_INVALID", "must be 0 to 1000");
    }
    const int size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
    auto page = tickets_.ListChanges(call.principal.scope_path(), request->system(),
                                     request->after_sequence(), size, kScanLimit);
    if (!page.ok()) return page.status();
    for (auto& change : page->changes) *response->add_changes() = std::move(change);
    response->set_last_sequence(page->last_sequence);
    return absl::OkStatus();
  });
}

}  // namespace grassroots::grid
