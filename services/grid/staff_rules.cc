#include "services/grid/staff_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"

namespace grassroots::grid {

absl::Status ValidateStaffRole(absl::string_view field, v1::StaffRole role) {
  switch (role) {
    case v1::GRID_LEADER:
    case v1::BUILDING_LEADER:
    case v1::GRID_WORKER:
      return absl::OkStatus();
    default:
      return InvalidField(field, "STAFF_ROLE_REQUIRED",
                          "must be GRID_LEADER, BUILDING_LEADER or GRID_WORKER");
  }
}

absl::Status ValidatePersonRef(absl::string_view field, absl::string_view person_ref) {
  bool ok = !person_ref.empty() && person_ref.size() <= 64;
  for (const char c : person_ref) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
    ok = ok && allowed;
  }
  if (ok) return absl::OkStatus();
  return InvalidField(field, "PERSON_REF_INVALID",
                      "must be 1 to 64 of A-Z, a-z, 0-9, '.', '_', ':' and '-': the person's id "
                      "in the system that keeps their record");
}

absl::Status ValidateRoleBuilding(v1::StaffRole role, const std::string& building_id) {
  if (role == v1::BUILDING_LEADER && building_id.empty()) {
    return InvalidField("assignment.building_id", "BUILDING_REQUIRED",
                        "a building leader leads a building: name it");
  }
  if (role != v1::BUILDING_LEADER && !building_id.empty()) {
    return InvalidField(
        "assignment.building_id", "BUILDING_NOT_ALLOWED",
        absl::StrCat("only a building leader names a building, not a ", v1::StaffRole_Name(role)));
  }
  return absl::OkStatus();
}

absl::Status ValidatePeriod(const StaffPeriod& period) {
  if (period.end && *period.end <= period.start) {
    return InvalidField("assignment.end_date", "END_NOT_AFTER_START",
                        absl::StrCat("must be after the start, ", DateText(period.start)));
  }
  return absl::OkStatus();
}

bool Overlaps(const StaffPeriod& a, const StaffPeriod& b) {
  const bool a_before_b = a.end && *a.end <= b.start;
  const bool b_before_a = b.end && *b.end <= a.start;
  return !a_before_b && !b_before_a;
}

bool HeldOn(const StaffPeriod& period, absl::CivilDay day) {
  return period.start <= day && (!period.end || day < *period.end);
}

std::string Describe(const StaffPeriod& period) {
  if (!period.end) return absl::StrCat("from ", DateText(period.start), " on");
  return absl::StrCat("from ", DateText(period.start), " up to ", DateText(*period.end - 1));
}

absl::Status CheckAssignment(const Holding& candidate, const std::vector<Holding>& others) {
  for (const Holding& other : others) {
    if (other.id == candidate.id || !Overlaps(other.period, candidate.period)) continue;
    if (candidate.role == v1::GRID_LEADER && other.role == v1::GRID_LEADER) {
      return FailedPrecondition(
          "GRID_LEADER_TAKEN",
          absl::StrCat("a grid has one grid leader at a time: ", other.masked_name, " leads it ",
                       Describe(other.period), "; end that assignment first"));
    }
    if (other.person_ref == candidate.person_ref && other.role == candidate.role &&
        other.building_id == candidate.building_id) {
      return FailedPrecondition(
          "ASSIGNMENT_OVERLAPS",
          absl::StrCat("the person already holds this role here ", Describe(other.period)));
    }
  }
  return absl::OkStatus();
}

}  // namespace grassroots::grid
