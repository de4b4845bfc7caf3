#include "services/grid/case_import_rules.h"

#include "absl/strings/str_cat.h"
#include "common/server/etag.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "common/time/proto_time.h"
#include "services/grid/case_deadlines.h"
#include "services/grid/case_rules.h"
#include "services/grid/case_transitions.h"
#include "services/grid/external_ticket_rules.h"

namespace grassroots::grid {
namespace {

using State = v1::Case::State;

bool Closes(State state) {
  return state == v1::Case::REJECTED || state == v1::Case::CLOSED || state == v1::Case::EVALUATED;
}

bool HasDepartment(State state) {
  return state >= v1::Case::DISPATCHED && state <= v1::Case::EVALUATED;
}

absl::Status ValidateState(const v1::CaseImportRecord& r) {
  const State state = r.state();
  if (!v1::Case::State_IsValid(state) || state == v1::Case::STATE_UNSPECIFIED ||
      state == v1::Case::SUSPENDED || state == v1::Case::MERGED) {
    return InvalidField("state", "STATE_NOT_IMPORTABLE",
                        "must be REPORTED, REGISTERED, REJECTED, DISPATCHED, HANDLING, HANDLED, "
                        "VERIFIED, CLOSED or EVALUATED");
  }
  if (!v1::Case::Level_IsValid(r.level())) {
    return InvalidField("level", "LEVEL_INVALID", "must be COMMUNITY, STREET or DISTRICT");
  }
  if (HasDepartment(state)) {
    if (auto s = ValidateCaseCode("department_code", r.department_code()); !s.ok()) return s;
  } else if (!r.department_code().empty()) {
    return InvalidField("department_code", "DEPARTMENT_BEFORE_DISPATCH",
                        absl::StrCat("a ", v1::Case::State_Name(state),
                                     " case has not been dispatched to a department"));
  }
  if (r.rework_count() < 0 || r.rework_count() > 1000) {
    return InvalidField("rework_count", "REWORK_COUNT_OUT_OF_RANGE", "must be 0 to 1000");
  }
  if (state == v1::Case::EVALUATED) {
    if (r.resolution() != v1::Case::FIXED && r.resolution() != v1::Case::PARTLY_FIXED &&
        r.resolution() != v1::Case::NOT_FIXED) {
      return InvalidField("resolution", "RESOLUTION_REQUIRED",
                          "an EVALUATED case must be FIXED, PARTLY_FIXED or NOT_FIXED");
    }
    if (r.satisfaction() < 1 || r.satisfaction() > 5) {
      return InvalidField("satisfaction", "SATISFACTION_OUT_OF_RANGE",
                          "must be 1 (very unsatisfied) to 5 (very satisfied)");
    }
  } else if (r.resolution() != v1::Case::RESOLUTION_UNSPECIFIED || r.satisfaction() != 0) {
    return InvalidField("satisfaction", "NOT_EVALUATED",
                        "only an EVALUATED case has a resolution and a satisfaction");
  }
  return absl::OkStatus();
}

absl::Status ValidateTimes(const v1::CaseImportRecord& r, absl::Time now) {
  if (!r.has_create_time()) {
    return InvalidField("create_time", "CREATE_TIME_REQUIRED", "when the case was reported");
  }
  const absl::Time created = FromProtoTime(r.create_time());
  if (created > now) {
    return InvalidField("create_time", "CREATE_TIME_IN_FUTURE", "must not be after the import");
  }
  if (!Closes(r.state())) {
    if (r.has_close_time()) {
      return InvalidField(
          "close_time", "CLOSE_TIME_OF_OPEN_CASE",
          absl::StrCat("a ", v1::Case::State_Name(r.state()), " case is still open"));
    }
    return absl::OkStatus();
  }
  if (!r.has_close_time()) {
    return InvalidField("close_time", "CLOSE_TIME_REQUIRED",
                        "a REJECTED, CLOSED or EVALUATED case needs its close time");
  }
  const absl::Time closed = FromProtoTime(r.close_time());
  if (closed < created) {
    return InvalidField("close_time", "CLOSE_BEFORE_CREATE", "must not be before create_time");
  }
  if (closed > now) {
    return InvalidField("close_time", "CLOSE_TIME_IN_FUTURE", "must not be after the import");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateCaseImportLine(const v1::CaseImportRecord& r, absl::Time now) {
  if (auto s = ValidateExternalSystem("external_system", r.external_system()); !s.ok()) return s;
  if (auto s = ValidateTicketId("external_ticket_id", r.external_ticket_id()); !s.ok()) return s;
  if (auto s = ValidateText("grid_path", r.grid_path(), 512, true); !s.ok()) return s;
  if (!v1::Case::Kind_IsValid(r.kind()) || r.kind() == v1::Case::KIND_UNSPECIFIED) {
    return InvalidField("kind", "KIND_REQUIRED", "must be the case's kind");
  }
  if (!v1::Case::Source_IsValid(r.source()) || r.source() == v1::Case::SOURCE_UNSPECIFIED) {
    return InvalidField("source", "SOURCE_REQUIRED",
                        "must say who reported: GRID_WORKER, RESIDENT, BUILDING_WORKING_DAY, "
                        "OTHER_SYSTEM or DEVICE");
  }
  if (auto s = ValidateCaseCode("category_code", r.category_code()); !s.ok()) return s;
  if (r.latitude() < -90 || r.latitude() > 90) {
    return InvalidField("latitude", "LATITUDE_OUT_OF_RANGE", "must be -90 to 90 degrees");
  }
  if (r.longitude() < -180 || r.longitude() > 180) {
    return InvalidField("longitude", "LONGITUDE_OUT_OF_RANGE", "must be -180 to 180 degrees");
  }
  if (auto s = ValidateText("address", r.address(), 300, false); !s.ok()) return s;
  if (auto s = ValidateText("description", r.description(), kMaxDescriptionBytes, true); !s.ok()) {
    return s;
  }
  if (auto s = ValidateText("reporter_ref", r.reporter_ref(), 128, false); !s.ok()) return s;
  if (auto s = ValidateState(r); !s.ok()) return s;
  return ValidateTimes(r, now);
}

absl::Status ValidateImportedCategory(const v1::CaseImportRecord& r,
                                      const v1::CaseCategory& category) {
  if (r.kind() != category.kind()) {
    return InvalidField("kind", "KIND_NOT_CATEGORYS",
                        absl::StrCat("the category ", category.code(), " is for ",
                                     v1::Case::Kind_Name(category.kind()), " cases"));
  }
  return absl::OkStatus();
}

CaseRow ImportedCaseRow(const v1::CaseImportRecord& r, const ImportedCasePlace& place,
                        const v1::CaseCategory& category, const WorkCalendarRules& calendar,
                        absl::Time now) {
  CaseRow row;
  v1::Case& v = row.view;
  v.set_id(place.case_id);
  v.set_kind(r.kind());
  v.set_source(r.source());
  v.set_category_code(r.category_code());
  v.set_grid_id(place.grid_id);
  v.set_grid_path(place.grid_path);
  v.set_latitude(r.latitude());
  v.set_longitude(r.longitude());
  v.set_address(r.address());
  v.set_description(r.description());
  v.set_reporter_ref(r.reporter_ref());
  v.mutable_external_ticket()->set_system(r.external_system());
  v.mutable_external_ticket()->set_ticket_id(r.external_ticket_id());
  v.set_state(r.state());
  v.set_level(r.level() == v1::Case::LEVEL_UNSPECIFIED ? v1::Case::COMMUNITY : r.level());
  v.set_urgent(category.urgent());
  v.set_department_id(place.department_id);
  v.set_rework_count(r.rework_count());
  v.set_resolution(r.resolution());
  v.set_satisfaction(r.satisfaction());
  *v.mutable_create_time() = r.create_time();
  ToProtoTime(now, v.mutable_update_time());
  if (r.has_close_time()) row.close_time = FromProtoTime(r.close_time());
  row.step_due = StepDue(category, calendar, r.state(), 0, now);
  row.escalation_due = row.step_due;
  row.step_count = 1;
  row.version = 1;
  v.set_etag(EtagOf(1));
  SyncView(row);
  return row;
}

CaseStepRecord ImportedCaseStep(const v1::CaseImportRecord& r) {
  return CaseStepRecord{
      "Import", v1::Case::STATE_UNSPECIFIED, r.state(), "",
      absl::StrCat("external_system=", r.external_system(), " ticket_id=", r.external_ticket_id())};
}

}  // namespace grassroots::grid
