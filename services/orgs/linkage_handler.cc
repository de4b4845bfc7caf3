#include "services/orgs/linkage_handler.h"

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/orgs/linkage_rules.h"
#include "services/orgs/member_rules.h"
#include "services/orgs/request_dates.h"

namespace grassroots::orgs {
namespace {

// Optional text: empty, or at most `max_bytes` without control characters.
absl::Status ValidateOptionalText(absl::string_view field, const std::string& text,
                                  size_t max_bytes) {
  if (text.empty()) return absl::OkStatus();
  return ValidateText(field, text, max_bytes);
}

absl::StatusOr<std::string> After(const std::string& token, const std::string& query) {
  if (token.empty()) return std::string();
  return DecodePageToken(token, query);
}

}  // namespace

grpc::ServerUnaryReactor* LinkageHandler::CreateLink(grpc::CallbackServerContext* context,
                                                     const v1::CreateLinkRequest* request,
                                                     v1::Link* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Link& link = request->link();
    if (auto s = ValidateLinkedParty("link.party", link.party()); !s.ok()) return s;
    if (auto s = RequireId("link.area_id", link.area_id()); !s.ok()) return s;
    if (auto s = ValidateOptionalText("link.compound", link.compound(), 200); !s.ok()) return s;
    if (auto s = ValidateOptionalText("link.note", link.note(), 500); !s.ok()) return s;
    auto start = ParseDate("link.start_date", link.start_date());
    if (!start.ok()) return start.status();
    std::optional<absl::CivilDay> end;
    if (!link.end_date().empty()) {
      auto planned = ParseDate("link.end_date", link.end_date());
      if (!planned.ok()) return planned.status();
      end = *planned;
    }
    if (auto s = ValidateLinkPeriod(*start, end); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    v1::Link requested;
    *requested.mutable_party() = link.party();
    requested.set_area_id(link.area_id());
    requested.set_compound(link.compound());
    requested.set_start_date(link.start_date());
    requested.set_end_date(link.end_date());
    requested.set_note(link.note());
    return Assign(store_.CreateLink(call.principal.scope_path(),
                                    call.Write(*env_.clock, request->request_id()), requested),
                  response);
  });
}

grpc::ServerUnaryReactor* LinkageHandler::GetLink(grpc::CallbackServerContext* context,
                                                  const v1::GetLinkRequest* request,
                                                  v1::Link* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.GetLink(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* LinkageHandler::ListLinks(grpc::CallbackServerContext* context,
                                                    const v1::ListLinksRequest* request,
                                                    v1::ListLinksResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    LinkFilter filter{request->area_id(), std::nullopt, request->member_id()};
    if (!request->active_on().empty()) {
      auto day = ParseDate("active_on", request->active_on());
      if (!day.ok()) return day.status();
      filter.active_on = *day;
    }
    const std::string query =
        absl::StrCat("links|", call.principal.scope_path(), "|", request->area_id(), "|",
                     request->active_on(), "|", request->member_id());
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page = store_.ListLinks(call.principal.scope_path(), filter, *page_size, *after);
    if (!page.ok()) return page.status();
    for (auto& link : page->links) *response->add_links() = std::move(link);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* LinkageHandler::EndLink(grpc::CallbackServerContext* context,
                                                  const v1::EndLinkRequest* request,
                                                  v1::Link* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    const absl::CivilDay today = Today(*env_.clock);
    auto end = DateOr("end_date", request->end_date(), today);
    if (!end.ok()) return end.status();
    return Assign(store_.EndLink(call.principal.scope_path(), call.Write(*env_.clock),
                                 request->id(), request->etag(), *end, today),
                  response);
  });
}

grpc::ServerUnaryReactor* LinkageHandler::RaiseProblem(grpc::CallbackServerContext* context,
                                                       const v1::RaiseProblemRequest* request,
                                                       v1::LinkageProblem* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("link_id", request->link_id()); !s.ok()) return s;
    if (auto s = ValidateText("title", request->title(), 200); !s.ok()) return s;
    if (auto s = ValidateProblemCategory("category", request->category()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    const absl::CivilDay today = Today(*env_.clock);
    auto raised = DateOr("raised_date", request->raised_date(), today);
    if (!raised.ok()) return raised.status();
    return Assign(store_.RaiseProblem(
                      call.principal.scope_path(), call.Write(*env_.clock, request->request_id()),
                      request->link_id(), request->title(), request->category(), *raised, today),
                  response);
  });
}

grpc::ServerUnaryReactor* LinkageHandler::Resolve(
    grpc::CallbackServerContext* context, const std::string& id, const std::string& etag,
    const std::string& date_field, const std::string& date, const std::string& text_field,
    const std::string& text, v1::LinkageProblem::State to, v1::LinkageProblem* response) {
  // The strings are copied: the body runs on a worker after this returns.
  return HandleUnary(
      context, env_,
      [this, id, etag, date_field, date, text_field, text, to,
       response](const Call& call) -> absl::Status {
        if (auto s = RequireId("id", id); !s.ok()) return s;
        if (auto s = ValidateText(text_field, text, 2000); !s.ok()) return s;
        const absl::CivilDay today = Today(*env_.clock);
        auto day = DateOr(date_field, date, today);
        if (!day.ok()) return day.status();
        return Assign(store_.ResolveProblem(call.principal.scope_path(), call.Write(*env_.clock),
                                            id, etag, to, *day, text, today),
                      response);
      });
}

grpc::ServerUnaryReactor* LinkageHandler::SolveProblem(grpc::CallbackServerContext* context,
                                                       const v1::SolveProblemRequest* request,
                                                       v1::LinkageProblem* response) {
  return Resolve(context, request->id(), request->etag(), "solved_date", request->solved_date(),
                 "how", request->how(), v1::LinkageProblem::SOLVED, response);
}

grpc::ServerUnaryReactor* LinkageHandler::CloseProblem(grpc::CallbackServerContext* context,
                                                       const v1::CloseProblemRequest* request,
                                                       v1::LinkageProblem* response) {
  return Resolve(context, request->id(), request->etag(), "closed_date", request->closed_date(),
                 "reason", request->reason(), v1::LinkageProblem::CLOSED_UNSOLVED, response);
}

grpc::ServerUnaryReactor* LinkageHandler::GetProblem(grpc::CallbackServerContext* context,
                                                     const v1::GetProblemRequest* request,
                                                     v1::LinkageProblem* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.GetProblem(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* LinkageHandler::ListProblems(grpc::CallbackServerContext* context,
                                                       const v1::ListProblemsRequest* request,
                                                       v1::ListProblemsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    if (!request->link_id().empty() && !request->area_id().empty()) {
      return InvalidField("area_id", "FILTER_CONFLICT", "give a link_id or an area_id, not both");
    }
    if (!v1::LinkageProblem::State_IsValid(request->state())) {
      return InvalidField("state", "STATE_INVALID", "not a problem state");
    }
    const ProblemFilter filter{request->link_id(), request->area_id(), request->state()};
    const std::string query = absl::StrCat("problems|", call.principal.scope_path(), "|",
                                           filter.link_id, "|", filter.area_id, "|", filter.state);
    auto after = After(request->page_token(), query);
    if (!after.ok()) return after.status();
    auto page = store_.ListProblems(call.principal.scope_path(), filter, *page_size, *after);
    if (!page.ok()) return page.status();
    for (auto& problem : page->problems) *response->add_problems() = std::move(problem);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* LinkageHandler::GetLinkageSummary(
    grpc::CallbackServerContext* context, const v1::GetLinkageSummaryRequest* request,
    v1::LinkageSummary* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto from = ParseDate("from_date", request->from_date());
    if (!from.ok()) return from.status();
    auto to = ParseDate("to_date", request->to_date());
    if (!to.ok()) return to.status();
    if (auto s = ValidateSummaryPeriod(*from, *to); !s.ok()) return s;
    return Assign(store_.Summary(call.principal.scope_path(), request->area_id(), *from, *to),
                  response);
  });
}

}  // namespace grassroots::orgs
