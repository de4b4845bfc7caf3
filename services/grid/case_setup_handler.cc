#include "services/grid/case_setup_handler.h"

#include "common/auth/scope.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/grid/case_rules.h"
#include "services/grid/grid_rules.h"
#include "services/grid/work_calendar.h"

namespace grassroots::grid {

grpc::ServerUnaryReactor* CaseSetupHandler::CreateCategory(grpc::CallbackServerContext* context,
                                                           const v1::CreateCategoryRequest* request,
                                                           v1::CaseCategory* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (!call.principal.scope_path().empty()) {
      return PermissionDenied("CITY_WIDE_ONLY",
                              "categories are the city's: a city-wide caller "
                              "makes them");
    }
    if (auto s = ValidateCategory(request->category()); !s.ok()) return s;
    return Assign(store_.CreateCategory(call.Write(*env_.clock), request->category()), response);
  });
}

grpc::ServerUnaryReactor* CaseSetupHandler::GetCategory(grpc::CallbackServerContext* context,
                                                        const v1::GetCategoryRequest* request,
                                                        v1::CaseCategory* response) {
  return HandleUnary(context, env_, [this, request, response](const Call&) -> absl::Status {
    if (auto s = ValidateCaseCode("code", request->code()); !s.ok()) return s;
    return Assign(store_.GetCategory(request->code()), response);
  });
}

grpc::ServerUnaryReactor* CaseSetupHandler::ListCategories(grpc::CallbackServerContext* context,
                                                           const v1::ListCategoriesRequest*,
                                                           v1::ListCategoriesResponse* response) {
  return HandleUnary(context, env_, [this, response](const Call&) -> absl::Status {
    auto found = store_.ListCategories();
    if (!found.ok()) return found.status();
    for (auto& c : *found) *response->add_categories() = std::move(c);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CaseSetupHandler::CreateDepartment(
    grpc::CallbackServerContext* context, const v1::CreateDepartmentRequest* request,
    v1::Department* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateDepartment(request->department()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    if (auto s = RequireInScope(call.principal, request->department().area_path()); !s.ok()) {
      return s;
    }
    return Assign(store_.CreateDepartment(call.Write(*env_.clock, request->request_id()),
                                          request->department()),
                  response);
  });
}

grpc::ServerUnaryReactor* CaseSetupHandler::ListDepartments(grpc::CallbackServerContext* context,
                                                            const v1::ListDepartmentsRequest*,
                                                            v1::ListDepartmentsResponse* response) {
  return HandleUnary(context, env_, [this, response](const Call&) -> absl::Status {
    auto found = store_.ListDepartments();
    if (!found.ok()) return found.status();
    for (auto& d : *found) *response->add_departments() = std::move(d);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CaseSetupHandler::SetWorkCalendar(
    grpc::CallbackServerContext* context, const v1::SetWorkCalendarRequest* request,
    v1::WorkCalendar* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const std::string& path = request->calendar().area_path();
    if (auto s = ValidateText("calendar.area_path", path, 255, false); !s.ok()) return s;
    if (auto s = RequireInScope(call.principal, path); !s.ok()) return s;
    auto rules = ParseWorkCalendar(request->calendar());
    if (!rules.ok()) return rules.status();
    return Assign(store_.SetCalendar(call.Write(*env_.clock), path, *rules), response);
  });
}

grpc::ServerUnaryReactor* CaseSetupHandler::GetWorkCalendar(
    grpc::CallbackServerContext* context, const v1::GetWorkCalendarRequest* request,
    v1::WorkCalendar* response) {
  return HandleUnary(context, env_, [this, request, response](const Call&) -> absl::Status {
    std::string found_at;
    auto rules = store_.CalendarFor(request->area_path(), &found_at);
    if (!rules.ok()) return rules.status();
    *response = ToProto(*rules, found_at);
    return absl::OkStatus();
  });
}

}  // namespace grassroots::grid
