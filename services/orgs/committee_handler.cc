#include "services/orgs/committee_handler.h"

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/orgs/committee_rules.h"
#include "services/orgs/member_rules.h"

namespace grassroots::orgs {

absl::CivilDay CommitteeHandler::Today() const {
  return absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone());
}

grpc::ServerUnaryReactor* CommitteeHandler::AppointCommitteeMember(
    grpc::CallbackServerContext* context, const v1::AppointCommitteeMemberRequest* request,
    v1::CommitteeSeat* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    if (auto s = RequireId("member_id", request->member_id()); !s.ok()) return s;
    if (auto s = ValidateRole("role", request->role()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    auto start = ParseDate("start_date", request->start_date());
    if (!start.ok()) return start.status();
    if (auto s = CheckSeatStart(*start, Today()); !s.ok()) return s;
    v1::CommitteeSeat seat;
    seat.set_organisation_id(request->organisation_id());
    seat.set_member_id(request->member_id());
    seat.set_role(request->role());
    seat.set_start_date(request->start_date());
    return Assign(store_.Appoint(call.principal.scope_path(),
                                 call.Write(*env_.clock, request->request_id()), seat),
                  response);
  });
}

grpc::ServerUnaryReactor* CommitteeHandler::EndCommitteeSeat(
    grpc::CallbackServerContext* context, const v1::EndCommitteeSeatRequest* request,
    v1::CommitteeSeat* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    auto end = ParseDate("end_date", request->end_date());
    if (!end.ok()) return end.status();
    if (auto s = ValidateEndReason("reason", request->reason()); !s.ok()) return s;
    return Assign(store_.EndSeat(call.principal.scope_path(), call.Write(*env_.clock),
                                 request->id(), request->etag(), *end, request->reason(), Today()),
                  response);
  });
}

grpc::ServerUnaryReactor* CommitteeHandler::GetCommittee(grpc::CallbackServerContext* context,
                                                         const v1::GetCommitteeRequest* request,
                                                         v1::Committee* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    const absl::CivilDay today = Today();
    absl::CivilDay day = today;
    if (!request->date().empty()) {
      auto parsed = ParseDate("date", request->date());
      if (!parsed.ok()) return parsed.status();
      day = *parsed;
    }
    return Assign(store_.Get(call.principal.scope_path(), request->organisation_id(), day, today),
                  response);
  });
}

grpc::ServerUnaryReactor* CommitteeHandler::ListCommitteeSeats(
    grpc::CallbackServerContext* context, const v1::ListCommitteeSeatsRequest* request,
    v1::ListCommitteeSeatsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query =
        absl::StrCat("seats|", call.principal.scope_path(), "|", request->organisation_id());
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page =
        store_.List(call.principal.scope_path(), request->organisation_id(), *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& seat : page->seats) *response->add_seats() = std::move(seat);
    if (!page->last_key.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_key));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CommitteeHandler::StartCommitteeTerm(
    grpc::CallbackServerContext* context, const v1::StartCommitteeTermRequest* request,
    v1::CommitteeTerm* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    auto start = ParseDate("start_date", request->start_date());
    if (!start.ok()) return start.status();
    return Assign(store_.StartTerm(call.principal.scope_path(),
                                   call.Write(*env_.clock, request->request_id()),
                                   request->organisation_id(), *start, Today()),
                  response);
  });
}

}  // namespace grassroots::orgs
