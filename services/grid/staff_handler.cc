#include "services/grid/staff_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/time/civil_date.h"
#include "services/grid/grid_rules.h"
#include "services/grid/list_paging.h"
#include "services/grid/staff_rules.h"
#include "services/grid/update_mask.h"

namespace grassroots::grid {
namespace {

// The period as the request writes it.
absl::StatusOr<StaffPeriod> PeriodFrom(const v1::StaffAssignment& a) {
  auto start = ParseDate("assignment.start_date", a.start_date());
  if (!start.ok()) return start.status();
  StaffPeriod period{*start, std::nullopt};
  if (!a.end_date().empty()) {
    auto end = ParseDate("assignment.end_date", a.end_date());
    if (!end.ok()) return end.status();
    period.end = *end;
  }
  if (auto s = ValidatePeriod(period); !s.ok()) return s;
  return period;
}

}  // namespace

grpc::ServerUnaryReactor* StaffHandler::AssignStaff(grpc::CallbackServerContext* context,
                                                    const v1::AssignStaffRequest* request,
                                                    v1::StaffAssignment* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::StaffAssignment& a = request->assignment();
    for (const absl::Status& s : {RequireId("assignment.grid_id", a.grid_id()),
                                  ValidateStaffRole("assignment.role", a.role()),
                                  ValidatePersonRef("assignment.person_ref", a.person_ref()),
                                  ValidateName("assignment.person_name", a.person_name()),
                                  ValidateRoleBuilding(a.role(), a.building_id()),
                                  ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    if (!a.building_id().empty()) {
      if (auto s = RequireId("assignment.building_id", a.building_id()); !s.ok()) return s;
    }
    if (auto period = PeriodFrom(a); !period.ok()) return period.status();
    return Assign(store_.Assign(call.principal.scope_path(),
                                call.Write(*env_.clock, request->request_id()), a),
                  response);
  });
}

grpc::ServerUnaryReactor* StaffHandler::GetStaffAssignment(
    grpc::CallbackServerContext* context, const v1::GetStaffAssignmentRequest* request,
    v1::StaffAssignment* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* StaffHandler::ListStaffAssignments(
    grpc::CallbackServerContext* context, const v1::ListStaffAssignmentsRequest* request,
    v1::ListStaffAssignmentsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("grid_id", request->grid_id()); !s.ok()) return s;
    StaffFilter filter;
    filter.grid_id = request->grid_id();
    filter.role = request->role();
    if (filter.role != v1::STAFF_ROLE_UNSPECIFIED) {
      if (auto s = ValidateStaffRole("role", filter.role); !s.ok()) return s;
    }
    if (!request->active_on().empty()) {
      auto day = ParseDate("active_on", request->active_on());
      if (!day.ok()) return day.status();
      filter.active_on = *day;
    }
    auto page =
        ReadPage(absl::StrCat("staff|", call.principal.scope_path(), "|", request->grid_id(), "|",
                              request->role(), "|", request->active_on()),
                 request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found = store_.List(call.principal.scope_path(), filter, page->size, page->after);
    if (!found.ok()) return found.status();
    for (auto& a : found->assignments) *response->add_assignments() = std::move(a);
    response->set_next_page_token(NextPageToken(*page, found->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* StaffHandler::UpdateStaffAssignment(
    grpc::CallbackServerContext* context, const v1::UpdateStaffAssignmentRequest* request,
    v1::StaffAssignment* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::StaffAssignment& a = request->assignment();
    if (auto s = RequireId("assignment.id", a.id()); !s.ok()) return s;
    auto fields = MaskedFields(request->update_mask(), {"start_date", "end_date"});
    if (!fields.ok()) return fields.status();
    if (Names(*fields, "start_date")) {
      if (auto s = ParseDate("assignment.start_date", a.start_date()); !s.ok()) return s.status();
    }
    if (Names(*fields, "end_date") && !a.end_date().empty()) {
      if (auto s = ParseDate("assignment.end_date", a.end_date()); !s.ok()) return s.status();
    }
    return Assign(store_.Update(call.principal.scope_path(), call.Write(*env_.clock), a, *fields),
                  response);
  });
}

}  // namespace grassroots::grid
