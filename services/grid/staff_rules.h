#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "grassroots/grid/v1/staff.pb.h"

namespace grassroots::grid {

// Grid staff (两长一员) and their periods. Pure rules, no I/O.

// Held from `start` up to the day before `end` (none: until further notice),
// so a successor starts on the day the predecessor ends.
struct StaffPeriod {
  absl::CivilDay start;
  std::optional<absl::CivilDay> end;
};

absl::Status ValidateStaffRole(absl::string_view field, v1::StaffRole role);
// 1-64 of A-Z, a-z, 0-9, '.', '_', ':' and '-'.
absl::Status ValidatePersonRef(absl::string_view field, absl::string_view person_ref);
// A building leader leads one building; the other roles name none.
absl::Status ValidateRoleBuilding(v1::StaffRole role, const std::string& building_id);
// The end comes after the start.
absl::Status ValidatePeriod(const StaffPeriod& period);

bool Overlaps(const StaffPeriod& a, const StaffPeriod& b);
bool HeldOn(const StaffPeriod& period, absl::CivilDay day);
// "from 2026-01-01 up to 2026-06-30" or "from 2026-01-01 on".
std::string Describe(const StaffPeriod& period);

// An assignment as the checks see it.
struct Holding {
  std::string id;
  v1::StaffRole role = v1::STAFF_ROLE_UNSPECIFIED;
  std::string person_ref;
  std::string masked_name;
  std::string building_id;
  StaffPeriod period;
};

// Against the grid's other assignments (the candidate's own id among them
// is skipped, for updates): FAILED_PRECONDITION GRID_LEADER_TAKEN when
// another grid leader's period overlaps, ASSIGNMENT_OVERLAPS when the same
// person already holds the same role (and building) for part of it.
absl::Status CheckAssignment(const Holding& candidate, const std::vector<Holding>& others);

}  // namespace grassroots::grid
