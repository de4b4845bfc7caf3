#include "services/orgs/big_committee_handler.h"

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/orgs/big_committee_rules.h"
#include "services/orgs/member_rules.h"
#include "services/orgs/resident_unit_rules.h"

namespace grassroots::orgs {

grpc::ServerUnaryReactor* BigCommitteeHandler::AddCommitteeUnit(
    grpc::CallbackServerContext* context, const v1::AddCommitteeUnitRequest* request,
    v1::BigCommitteeSeat* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::BigCommitteeSeat& seat = request->seat();
    for (const absl::Status& s :
         {RequireId("seat.organisation_id", seat.organisation_id()),
          RequireId("seat.unit_id", seat.unit_id()), ValidateSeatRole("seat.role", seat.role()),
          ValidateFreeText("seat.holder_title", seat.holder_title(), 200, /*required=*/true),
          ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    auto start = ParseDate("seat.term_start", seat.term_start());
    if (!start.ok()) return start.status();
    auto end = ParseDate("seat.term_end", seat.term_end());
    if (!end.ok()) return end.status();
    if (auto s = ValidateSeatTerm(*start, *end); !s.ok()) return s;
    return Assign(store_.Add(call.principal.scope_path(),
                             call.Write(*env_.clock, request->request_id()), seat),
                  response);
  });
}

grpc::ServerUnaryReactor* BigCommitteeHandler::RemoveCommitteeUnit(
    grpc::CallbackServerContext* context, const v1::RemoveCommitteeUnitRequest* request,
    v1::BigCommitteeSeat* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateFreeText("reason", request->reason(), 500, /*required=*/false); !s.ok()) {
      return s;
    }
    return Assign(store_.Remove(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                                request->etag(), request->reason()),
                  response);
  });
}

grpc::ServerUnaryReactor* BigCommitteeHandler::ListCommitteeUnits(
    grpc::CallbackServerContext* context, const v1::ListCommitteeUnitsRequest* request,
    v1::ListCommitteeUnitsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query =
        absl::StrCat("seats|", call.principal.scope_path(), "|", request->organisation_id(), "|",
                     request->include_removed());
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page = store_.List(call.principal.scope_path(), request->organisation_id(),
                            request->include_removed(), *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& seat : page->seats) *response->add_seats() = std::move(seat);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

}  // namespace grassroots::orgs
