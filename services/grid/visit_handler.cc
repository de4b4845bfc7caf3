#include "services/grid/visit_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/grid/list_paging.h"
#include "services/grid/visit_log_rules.h"
#include "services/grid/visit_report_rules.h"

namespace grassroots::grid {
namespace {

absl::StatusOr<ReportWhere> WhereFrom(const Call& call, const std::string& grid_id,
                                      const std::string& area_path) {
  if (!grid_id.empty()) {
    if (auto s = RequireId("grid_id", grid_id); !s.ok()) return s;
  }
  auto under = ReportArea(call.principal.scope_path(), grid_id, area_path);
  if (!under.ok()) return under.status();
  return ReportWhere{call.principal.scope_path(), grid_id, *std::move(under)};
}

std::string PeriodText(const v1::DatePeriod& p) {
  return absl::StrCat(p.start_date(), "|", p.end_date());
}

}  // namespace

grpc::ServerUnaryReactor* VisitHandler::LogVisit(grpc::CallbackServerContext* context,
                                                 const v1::LogVisitRequest* request,
                                                 v1::Visit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    for (const absl::Status& s :
         {ValidateRequestId(request->request_id()), ValidateVisit(request->visit(), write.now),
          CheckVisitor(call.principal, request->visit().worker_ref())}) {
      if (!s.ok()) return s;
    }
    return Assign(visits_.Log(call.principal.scope_path(), write, request->visit()), response);
  });
}

grpc::ServerUnaryReactor* VisitHandler::GetVisit(grpc::CallbackServerContext* context,
                                                 const v1::GetVisitRequest* request,
                                                 v1::Visit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(visits_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* VisitHandler::ListVisits(grpc::CallbackServerContext* context,
                                                   const v1::ListVisitsRequest* request,
                                                   v1::ListVisitsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateVisitListing(*request); !s.ok()) return s;
    auto period = ReadPeriod("period", request->period(), /*required=*/false);
    if (!period.ok()) return period.status();
    const VisitFilter filter{request->grid_id(), request->household_id(), request->key_person_id(),
                             request->worker_ref(), *period};
    auto page =
        ReadPage(absl::StrCat("visits|", call.principal.scope_path(), "|", request->grid_id(), "|",
                              request->household_id(), "|", request->key_person_id(), "|",
                              request->worker_ref(), "|", PeriodText(request->period())),
                 request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found = visits_.List(call.principal.scope_path(), filter, page->size, page->after);
    if (!found.ok()) return found.status();
    for (auto& v : found->visits) *response->add_visits() = std::move(v);
    response->set_next_page_token(NextPageToken(*page, found->last_key));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* VisitHandler::ListOverdueVisits(
    grpc::CallbackServerContext* context, const v1::ListOverdueVisitsRequest* request,
    v1::ListOverdueVisitsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto where = WhereFrom(call, request->grid_id(), request->area_path());
    if (!where.ok()) return where.status();
    auto as_of = ReadAsOf("as_of", request->as_of(), UtcDay(env_.clock->Now()));
    if (!as_of.ok()) return as_of.status();
    // The token is bound to the day, so a page of another day's report is refused.
    auto page = ReadPage(absl::StrCat("overdue|", where->scope, "|", where->grid_id, "|",
                                      where->under, "|", absl::FormatCivilTime(*as_of)),
                         request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found = reports_.Overdue(*where, *as_of, page->size, page->after);
    if (!found.ok()) return found.status();
    for (auto& o : found->overdue) *response->add_overdue() = std::move(o);
    response->set_next_page_token(NextPageToken(*page, found->last_key));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* VisitHandler::CountVisitsByWorker(
    grpc::CallbackServerContext* context, const v1::CountVisitsByWorkerRequest* request,
    v1::CountVisitsByWorkerResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto where = WhereFrom(call, request->grid_id(), request->area_path());
    if (!where.ok()) return where.status();
    auto period = ReadPeriod("period", request->period(), /*required=*/true, kMaxCountPeriodDays);
    if (!period.ok()) return period.status();
    auto page = ReadPage(absl::StrCat("worker-counts|", where->scope, "|", where->grid_id, "|",
                                      where->under, "|", PeriodText(request->period())),
                         request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found = reports_.CountByWorker(*where, **period, page->size, page->after);
    if (!found.ok()) return found.status();
    for (auto& c : found->counts) *response->add_counts() = std::move(c);
    response->set_next_page_token(NextPageToken(*page, found->last_key));
    return absl::OkStatus();
  });
}

}  // namespace grassroots::grid
