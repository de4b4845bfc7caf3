#include "services/grid/case_figures_handler.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/auth/scope.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "services/grid/case_transitions.h"
#include "services/grid/figure_case_filter.h"
#include "services/grid/list_paging.h"
#include "services/grid/visit_report_rules.h"

namespace grassroots::grid {
namespace {

using GroupBy = v1::GetCaseFiguresRequest;

absl::StatusOr<FigureDimension> DimensionOf(const v1::GetCaseFiguresRequest& r) {
  const bool department = !r.department_id().empty() || r.group_by() == GroupBy::DEPARTMENT;
  const bool worker = !r.worker_ref().empty() || r.group_by() == GroupBy::WORKER;
  if (department && worker) {
    return InvalidField("worker_ref", "DEPARTMENT_OR_WORKER",
                        "ask about departments or about workers, not both");
  }
  if (department) return FigureDimension::kDepartment;
  if (worker) return FigureDimension::kWorker;
  return FigureDimension::kArea;
}

constexpr size_t kMaxCommentBytes = 500;

}  // namespace

absl::StatusOr<std::string> CaseFiguresHandler::AreaOf(const std::string& scope,
                                                       const std::string& grid_id,
                                                       const std::string& area_path) {
  auto under = ReportArea(scope, grid_id, area_path);
  if (!under.ok()) return under.status();
  if (grid_id.empty()) return under;
  if (auto s = RequireId("grid_id", grid_id); !s.ok()) return s;
  auto grid = grids_.Get(scope, grid_id);
  if (!grid.ok()) return grid.status();
  return grid->path();
}

absl::Status CaseFiguresHandler::CheckDepartment(const std::string& department_id) {
  if (department_id.empty()) return absl::OkStatus();
  auto exists = setup_.DepartmentExists(department_id);
  if (!exists.ok()) return exists.status();
  if (*exists) return absl::OkStatus();
  return InvalidField("department_id", "DEPARTMENT_NOT_FOUND", "no department has this id");
}

grpc::ServerUnaryReactor* CaseFiguresHandler::GetCaseFigures(
    grpc::CallbackServerContext* context, const v1::GetCaseFiguresRequest* request,
    v1::GetCaseFiguresResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (!GroupBy::GroupBy_IsValid(request->group_by())) {
      return InvalidField("group_by", "GROUP_BY_INVALID", "not a grouping of the figures");
    }
    auto dimension = DimensionOf(*request);
    if (!dimension.ok()) return dimension.status();
    auto period = ReadPeriod("period", request->period(), /*required=*/true, kMaxCountPeriodDays);
    if (!period.ok()) return period.status();
    if (auto s = ValidateText("worker_ref", request->worker_ref(), 128, false); !s.ok()) return s;
    if (auto s = CheckDepartment(request->department_id()); !s.ok()) return s;
    auto area = AreaOf(call.principal.scope_path(), request->grid_id(), request->area_path());
    if (!area.ok()) return area.status();
    FigureQuery query{*dimension, *area,
                      *dimension == FigureDimension::kDepartment ? request->department_id()
                                                                 : request->worker_ref(),
                      **period, request->group_by()};
    auto found = figures_.Query(query);
    if (!found.ok()) return found.status();
    for (auto& f : *found) *response->add_figures() = std::move(f);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CaseFiguresHandler::ListFigureCases(
    grpc::CallbackServerContext* context, const v1::ListFigureCasesRequest* request,
    v1::ListCasesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto period = ReadPeriod("period", request->period(), /*required=*/false, kMaxCountPeriodDays);
    if (!period.ok()) return period.status();
    const std::string& scope = call.principal.scope_path();
    auto under = ReportArea(scope, request->grid_id(), request->area_path());
    if (!under.ok()) return under.status();
    CaseQuery query;
    query.grid_id = request->grid_id();
    query.path_prefix = *under;
    query.department_id = request->department_id();
    if (!query.grid_id.empty()) {
      if (auto s = RequireId("grid_id", query.grid_id); !s.ok()) return s;
    }
    if (auto s = ApplyFigureFilter(request->figure(), *period, query); !s.ok()) return s;
    auto page =
        ReadPage(absl::StrCat("figure-cases|", scope, "|", request->figure(), "|", query.grid_id,
                              "|", query.path_prefix, "|", query.department_id, "|",
                              request->period().start_date(), "|", request->period().end_date()),
                 request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found = cases_.List(scope, query, page->size, page->after);
    if (!found.ok()) return found.status();
    for (auto& c : found->cases) *response->add_cases() = std::move(c);
    response->set_next_page_token(NextPageToken(*page, found->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CaseFiguresHandler::RateDepartment(
    grpc::CallbackServerContext* context, const v1::RateDepartmentRequest* request,
    v1::DepartmentRating* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const std::vector<std::string> roles(call.principal.roles().begin(),
                                         call.principal.roles().end());
    if (auto s = CheckRoles({"grid.supervisor", "grid.admin"}, roles, "rate a department");
        !s.ok()) {
      return s;
    }
    if (auto s = RequireId("department_id", request->department_id()); !s.ok()) return s;
    if (request->street_path().empty()) {
      return InvalidField("street_path", "STREET_REQUIRED", "name the street that rates");
    }
    if (!PathWithin(request->street_path(), call.principal.scope_path())) {
      return PermissionDenied("OUT_OF_SCOPE", "the street lies outside your jurisdiction");
    }
    absl::CivilMonth month;
    if (!absl::ParseCivilTime(request->month(), &month) ||
        absl::FormatCivilTime(month) != request->month()) {
      return InvalidField("month", "MONTH_INVALID", "give the month as YYYY-MM");
    }
    if (request->score() < 1 || request->score() > 5) {
      return InvalidField("score", "SCORE_OUT_OF_RANGE", "rate from 1 (poor) to 5 (excellent)");
    }
    if (auto s = ValidateText("comment", request->comment(), kMaxCommentBytes, false); !s.ok()) {
      return s;
    }
    if (auto s = CheckDepartment(request->department_id()); !s.ok()) return s;
    v1::DepartmentRating rating;
    rating.set_department_id(request->department_id());
    rating.set_street_path(request->street_path());
    rating.set_month(request->month());
    rating.set_score(request->score());
    rating.set_comment(request->comment());
    return Assign(figures_.Rate(call.Write(*env_.clock), rating), response);
  });
}

}  // namespace grassroots::grid
