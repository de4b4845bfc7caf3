#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "grassroots/volunteer/v1/volunteer.pb.h"
#include "services/volunteer/working_hours_rules.h"

namespace grassroots::volunteer {

// Who is a community worker and when they work: careers (CareersRoster)
// for a volunteer linked to a careers worker, the roster volunteer admins
// keep here (RosterStore) for the rest. Asked before an attendance is
// confirmed.
class WorkRoster {
 public:
  virtual ~WorkRoster() = default;
  // The volunteer's working hours, or nullopt when not a community worker.
  // The caller has read the volunteer (its id and worker_id are used).
  virtual absl::StatusOr<std::optional<WorkingHours>> HoursOf(
      const v1::Volunteer& volunteer) const = 0;
};

}  // namespace grassroots::volunteer
