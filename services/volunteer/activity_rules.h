#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grassroots/volunteer/v1/activity.pb.h"
#include "grassroots/volunteer/v1/volunteer.pb.h"

namespace grassroots::volunteer {

// Volunteers, teams, activities and the life of an attendance: what each
// must hold, how hours are counted and what points they earn. Pure, no I/O.

absl::Status ValidateVolunteer(const v1::Volunteer& volunteer);
absl::Status ValidateTeam(const v1::Team& team);
// Text fields, the type code, a window of at most 7 days, 1 to 10,000 places.
absl::Status ValidateActivity(const v1::Activity& activity);
absl::Status ValidatePointsRule(const v1::PointsRule& rule);

enum class AttendanceStep { kSignUp, kCancel, kCheckIn, kCheckOut, kConfirm };

// FAILED_PRECONDITION (ATTENDANCE_STATE) unless `step` may follow `state`:
// signed up → checked in → checked out → confirmed, or signed up →
// cancelled → signed up again.
absl::Status CheckStep(v1::AttendanceState state, AttendanceStep step);
// Whether the attendance holds one of the activity's places.
bool HoldsPlace(v1::AttendanceState state);

// A time an organiser records: not in the future (a minute's grace for
// clocks), and a check-out not before its check-in.
absl::Status ValidateRecordedTime(absl::string_view field, absl::Time time, absl::Time now,
                                  absl::Time not_before);

// Minutes on site inside the activity's window: time before the start or
// after the end (travel, waiting) is not service.
int64_t ServiceMinutes(absl::Time window_start, absl::Time window_end, absl::Time check_in,
                       absl::Time check_out);
// Per attendance, plus per full hour of service.
int64_t PointsFor(const v1::PointsRule& rule, int64_t minutes);

}  // namespace grassroots::volunteer
