#include "services/grid/visit_log_rules.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/grid/grid_rules.h"
#include "services/grid/staff_rules.h"

namespace grassroots::grid {

absl::Status ValidateVisitKind(absl::string_view field, v1::VisitKind kind) {
  switch (kind) {
    case v1::DOOR_VISIT:
    case v1::PHONE:
    case v1::OTHER_CONTACT:
      return absl::OkStatus();
    default:
      return InvalidField(field, "VISIT_KIND_REQUIRED",
                          "say how: DOOR_VISIT, PHONE or OTHER_CONTACT");
  }
}

absl::Status ValidateVisitSubject(const std::string& household_id,
                                  const std::string& key_person_id) {
  if (household_id.empty() == key_person_id.empty()) {
    return InvalidField(household_id.empty() ? "visit.household_id" : "visit.key_person_id",
                        "VISIT_SUBJECT_REQUIRED",
                        "name either the household or the key person visited, not both");
  }
  return household_id.empty() ? RequireId("visit.key_person_id", key_person_id)
                              : RequireId("visit.household_id", household_id);
}

absl::Status ValidateVisitTime(absl::string_view field, absl::Time visit_time, absl::Time now) {
  if (visit_time > now + kAllowedClockSkew) {
    return InvalidField(field, "VISIT_IN_FUTURE", "a visit is logged after it took place");
  }
  if (visit_time < now - kMaxLateLogging) {
    return InvalidField(
        field, "VISIT_TOO_OLD",
        absl::StrCat("visits are logged within ", absl::ToInt64Hours(kMaxLateLogging) / 24,
                     " days of taking place"));
  }
  return absl::OkStatus();
}

absl::Status ValidateVisit(const v1::Visit& visit, absl::Time now) {
  if (auto s = ValidateVisitSubject(visit.household_id(), visit.key_person_id()); !s.ok()) {
    return s;
  }
  if (auto s = ValidatePersonRef("visit.worker_ref", visit.worker_ref()); !s.ok()) return s;
  if (auto s = ValidateVisitKind("visit.kind", visit.kind()); !s.ok()) return s;
  if (!visit.has_visit_time()) {
    return InvalidField("visit.visit_time", "VISIT_TIME_REQUIRED", "say when the visit was");
  }
  if (auto s = ValidateVisitTime("visit.visit_time", FromProtoTime(visit.visit_time()), now);
      !s.ok()) {
    return s;
  }
  return ValidateText("visit.findings", visit.findings(), kMaxFindingsBytes, true);
}

absl::Status CheckVisitor(const common::v1::Principal& caller, const std::string& worker_ref) {
  if (HasRole(caller, "grid.editor") || HasRole(caller, "grid.admin")) return absl::OkStatus();
  if (HasRole(caller, "grid.worker") && worker_ref != caller.id()) {
    return PermissionDenied("WORKER_NOT_CALLER",
                            "a grid worker logs only its own visits: worker_ref must be your id");
  }
  return absl::OkStatus();
}

bool SatisfiesInterval(v1::VisitKind kind) { return kind == v1::DOOR_VISIT; }

}  // namespace grassroots::grid
