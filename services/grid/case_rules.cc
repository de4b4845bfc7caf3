#include "services/grid/case_rules.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/grid/grid_rules.h"

namespace grassroots::grid {
namespace {

bool IsCodeChar(char c) { return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_'; }

absl::Status ValidateKey(absl::string_view field, absl::string_view key) {
  bool ok = !key.empty() && key.size() <= 32 && absl::ascii_islower(key[0]);
  for (char c : key) ok = ok && (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_');
  if (!ok) {
    return InvalidField(field, "FIELD_KEY_INVALID",
                        "must be 1-32 of a-z, 0-9 and '_', starting with a letter");
  }
  return absl::OkStatus();
}

absl::Status ValidateMinutes(absl::string_view field, int minutes) {
  if (minutes < 1 || minutes > kMaxStepMinutes) {
    return InvalidField(field, "DEADLINE_OUT_OF_RANGE",
                        "a step's deadline must be 1 minute to 525600 minutes (a year)");
  }
  return absl::OkStatus();
}

absl::Status ValidateExtraFields(const v1::Case& report, const v1::CaseCategory& category) {
  std::set<std::string> known;
  for (const v1::ExtraField& f : category.extra_fields()) {
    known.insert(f.key());
    auto value = report.extra_fields().find(f.key());
    const std::string field = absl::StrCat("case.extra_fields[", f.key(), "]");
    if (value == report.extra_fields().end() || value->second.empty()) {
      if (f.required()) {
        return InvalidField(field, "EXTRA_FIELD_REQUIRED",
                            absl::StrCat("the category ", category.code(), " needs ", f.label()));
      }
      continue;
    }
    if (auto s = ValidateText(field, value->second, 500, true); !s.ok()) return s;
    if (!f.choices().empty()) {
      bool allowed = false;
      for (const std::string& choice : f.choices()) allowed = allowed || choice == value->second;
      if (!allowed) {
        return InvalidField(field, "EXTRA_FIELD_NOT_A_CHOICE",
                            absl::StrCat(f.label(), " must be one of the category's choices"));
      }
    }
  }
  for (const auto& [key, value] : report.extra_fields()) {
    if (!known.contains(key)) {
      return InvalidField(absl::StrCat("case.extra_fields[", key, "]"), "EXTRA_FIELD_UNKNOWN",
                          absl::StrCat("the category ", category.code(), " has no field ", key));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateCaseCode(absl::string_view field, absl::string_view code) {
  bool ok = code.size() >= 2 && code.size() <= 32;
  for (char c : code) ok = ok && IsCodeChar(c);
  if (!ok) return InvalidField(field, "CODE_INVALID", "must be 2-32 of A-Z, 0-9 and '_'");
  return absl::OkStatus();
}

absl::Status ValidateCategory(const v1::CaseCategory& c) {
  if (auto s = ValidateCaseCode("category.code", c.code()); !s.ok()) return s;
  if (auto s = ValidateName("category.name", c.name()); !s.ok()) return s;
  if (!v1::Case::Kind_IsValid(c.kind()) || c.kind() == v1::Case::KIND_UNSPECIFIED) {
    return InvalidField("category.kind", "KIND_REQUIRED",
                        "must be INCIDENT, SERVICE_MATTER or DEPARTMENT_TASK");
  }
  const v1::StepDeadlines& d = c.deadlines();
  for (const auto& [field, minutes] :
       {std::pair{"category.deadlines.register_minutes", d.register_minutes()},
        std::pair{"category.deadlines.dispatch_minutes", d.dispatch_minutes()},
        std::pair{"category.deadlines.accept_minutes", d.accept_minutes()},
        std::pair{"category.deadlines.handle_minutes", d.handle_minutes()},
        std::pair{"category.deadlines.verify_minutes", d.verify_minutes()}}) {
    if (auto s = ValidateMinutes(field, minutes); !s.ok()) return s;
  }
  std::set<std::string> keys;
  for (int i = 0; i < c.extra_fields_size(); ++i) {
    const v1::ExtraField& f = c.extra_fields(i);
    const std::string field = absl::StrCat("category.extra_fields[", i, "]");
    if (auto s = ValidateKey(absl::StrCat(field, ".key"), f.key()); !s.ok()) return s;
    if (!keys.insert(f.key()).second) {
      return InvalidField(absl::StrCat(field, ".key"), "FIELD_KEY_REPEATED",
                          absl::StrCat("the key ", f.key(), " appears twice"));
    }
    if (auto s = ValidateName(absl::StrCat(field, ".label"), f.label()); !s.ok()) return s;
    for (const std::string& choice : f.choices()) {
      if (auto s = ValidateText(absl::StrCat(field, ".choices"), choice, 200, true); !s.ok()) {
        return s;
      }
    }
  }
  if (c.duplicate_radius_meters() < 0 || c.duplicate_radius_meters() > kMaxDuplicateRadiusMeters) {
    return InvalidField("category.duplicate_radius_meters", "RADIUS_OUT_OF_RANGE",
                        "must be 0 (no duplicate check) to 5000 metres");
  }
  if (c.duplicate_radius_meters() > 0 &&
      (c.duplicate_window_minutes() < 1 ||
       c.duplicate_window_minutes() > kMaxDuplicateWindowMinutes)) {
    return InvalidField("category.duplicate_window_minutes", "WINDOW_OUT_OF_RANGE",
                        "must be 1 to 43200 minutes (30 days) when a radius is set");
  }
  return absl::OkStatus();
}

absl::Status ValidateDepartment(const v1::Department& d) {
  if (auto s = ValidateCaseCode("department.code", d.code()); !s.ok()) return s;
  if (auto s = ValidateName("department.name", d.name()); !s.ok()) return s;
  return ValidateText("department.area_path", d.area_path(), 255, false);
}

absl::Status ValidateReport(const v1::Case& r, const v1::CaseCategory& category) {
  if (r.kind() != category.kind()) {
    return InvalidField("case.kind", "KIND_NOT_CATEGORYS",
                        absl::StrCat("the category ", category.code(), " is for another kind"));
  }
  if (!v1::Case::Source_IsValid(r.source()) || r.source() == v1::Case::SOURCE_UNSPECIFIED) {
    return InvalidField("case.source", "SOURCE_REQUIRED",
                        "must say who reported: GRID_WORKER, RESIDENT, BUILDING_WORKING_DAY, "
                        "OTHER_SYSTEM or DEVICE");
  }
  const bool located = r.latitude() != 0 || r.longitude() != 0;
  if (r.kind() == v1::Case::INCIDENT && !located) {
    return InvalidField("case.latitude", "LOCATION_REQUIRED", "an incident needs its location");
  }
  if (r.latitude() < -90 || r.latitude() > 90) {
    return InvalidField("case.latitude", "LATITUDE_OUT_OF_RANGE", "must be -90 to 90 degrees");
  }
  if (r.longitude() < -180 || r.longitude() > 180) {
    return InvalidField("case.longitude", "LONGITUDE_OUT_OF_RANGE", "must be -180 to 180 degrees");
  }
  if (auto s = ValidateText("case.address", r.address(), 300, false); !s.ok()) return s;
  if (auto s = ValidateText("case.description", r.description(), kMaxDescriptionBytes, true);
      !s.ok()) {
    return s;
  }
  if (r.photo_refs_size() > kMaxPhotos) {
    return InvalidField("case.photo_refs", "TOO_MANY_PHOTOS", "at most 9 photos");
  }
  for (const std::string& ref : r.photo_refs()) {
    if (auto s = ValidateText("case.photo_refs", ref, 300, true); !s.ok()) return s;
  }
  if (auto s = ValidateText("case.reporter_ref", r.reporter_ref(), 128, false); !s.ok()) return s;
  const bool task = r.kind() == v1::Case::DEPARTMENT_TASK;
  if (task) {
    if (auto s = ValidateText("case.admission_item_code", r.admission_item_code(), 64, true);
        !s.ok()) {
      return s;
    }
    if (auto s = ValidateText("case.requesting_department", r.requesting_department(), 64, true);
        !s.ok()) {
      return s;
    }
  } else if (!r.admission_item_code().empty() || !r.requesting_department().empty()) {
    return InvalidField("case.admission_item_code", "NOT_A_TASK",
                        "only a DEPARTMENT_TASK names an admission item and department");
  }
  if (r.kind() != v1::Case::SERVICE_MATTER && (r.has_appointment_time() || r.handled_on_behalf())) {
    return InvalidField("case.appointment_time", "NOT_A_SERVICE_MATTER",
                        "only a SERVICE_MATTER has an appointment or is handled on behalf");
  }
  return ValidateExtraFields(r, category);
}

absl::Status ValidateStepNote(CaseAction action, absl::string_view note) {
  bool required = false;
  switch (action) {
    case CaseAction::kReject:
    case CaseAction::kDecline:
    case CaseAction::kReportHandled:
    case CaseAction::kVerifyFailed:
    case CaseAction::kSuspend:
    case CaseAction::kRequestExtension:
    case CaseAction::kMerge:
      required = true;
      break;
    default:
      break;
  }
  return ValidateText("step.note", note, kMaxNoteBytes, required);
}

absl::Status ValidateStepInput(const CaseStepInput& input) {
  if (auto s = ValidateStepNote(input.action, input.note); !s.ok()) return s;
  switch (input.action) {
    case CaseAction::kDispatch:
      if (input.department_id.empty()) return absl::OkStatus();
      return RequireId("department_id", input.department_id);
    case CaseAction::kMerge:
      if (auto s = RequireId("into_case_id", input.into_case_id); !s.ok()) return s;
      return absl::OkStatus();
    case CaseAction::kEvaluateResolved:
    case CaseAction::kEvaluateNotFixed:
      if (input.resolution != v1::Case::FIXED && input.resolution != v1::Case::PARTLY_FIXED &&
          input.resolution != v1::Case::NOT_FIXED) {
        return InvalidField("resolution", "RESOLUTION_REQUIRED",
                            "must be FIXED, PARTLY_FIXED or NOT_FIXED");
      }
      if (input.satisfaction < 1 || input.satisfaction > 5) {
        return InvalidField("satisfaction", "SATISFACTION_OUT_OF_RANGE",
                            "must be 1 (very unsatisfied) to 5 (very satisfied)");
      }
      return absl::OkStatus();
    case CaseAction::kRequestExtension:
      if (input.extra_minutes < 1 || input.extra_minutes > kMaxExtensionMinutes) {
        return InvalidField("extra_minutes", "EXTENSION_OUT_OF_RANGE",
                            "must be 1 to 43200 working minutes");
      }
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

}  // namespace grassroots::grid
