#include "services/volunteer/activity_rules.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/volunteer/ledger_rules.h"

namespace grassroots::volunteer {
namespace {

absl::Status ValidateTypeCode(absl::string_view field, absl::string_view code, bool wildcard) {
  if ((wildcard && code == "*") || IsCode(code)) return absl::OkStatus();
  return InvalidField(field, "ACTIVITY_TYPE_INVALID",
                      wildcard ? "must be an activity type code (1-32 of a-z, 0-9, '-', '_') or *"
                               : "must be 1-32 of a-z, 0-9, '-' and '_'");
}

absl::Status ValidateRef(absl::string_view field, const std::string& id, bool required) {
  if (id.empty() && !required) return absl::OkStatus();
  if (id.empty()) return InvalidField(field, "ID_REQUIRED", "must not be empty");
  if (id.size() > 40) return InvalidField(field, "ID_INVALID", "is not an id this service issued");
  return absl::OkStatus();
}

const char* StateName(v1::AttendanceState state) {
  switch (state) {
    case v1::ATTENDANCE_SIGNED_UP:
      return "signed up";
    case v1::ATTENDANCE_CANCELLED:
      return "cancelled";
    case v1::ATTENDANCE_CHECKED_IN:
      return "checked in";
    case v1::ATTENDANCE_CHECKED_OUT:
      return "checked out";
    case v1::ATTENDANCE_CONFIRMED:
      return "confirmed";
    default:
      return "unknown";
  }
}

}  // namespace

absl::Status ValidateVolunteer(const v1::Volunteer& v) {
  for (const absl::Status& s :
       {ValidateCommunityPath("volunteer.community_path", v.community_path()),
        ValidateText("volunteer.name", v.name(), 100, true),
        ValidateRef("volunteer.member_id", v.member_id(), false),
        ValidateRef("volunteer.worker_id", v.worker_id(), false)}) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateTeam(const v1::Team& team) {
  for (const absl::Status& s :
       {ValidateCommunityPath("team.community_path", team.community_path()),
        ValidateText("team.display_name", team.display_name(), 200, true)}) {
    if (!s.ok()) return s;
  }
  if (team.leader_volunteer_ids().empty() || team.leader_volunteer_ids_size() > 10) {
    return InvalidField("team.leader_volunteer_ids", "TEAM_LEADERS_COUNT",
                        "a team has 1 to 10 leaders");
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < team.leader_volunteer_ids_size(); ++i) {
    const std::string field = absl::StrCat("team.leader_volunteer_ids[", i, "]");
    if (auto s = ValidateRef(field, team.leader_volunteer_ids(i), true); !s.ok()) return s;
    if (!seen.insert(team.leader_volunteer_ids(i)).second) {
      return InvalidField(field, "TEAM_LEADER_REPEATED", "names a leader twice");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateActivity(const v1::Activity& a) {
  for (const absl::Status& s :
       {ValidateCommunityPath("activity.community_path", a.community_path()),
        ValidateRef("activity.team_id", a.team_id(), false),
        ValidateText("activity.title", a.title(), 200, true),
        ValidateTypeCode("activity.activity_type", a.activity_type(), false),
        ValidateText("activity.place", a.place(), 200, true)}) {
    if (!s.ok()) return s;
  }
  if (!a.has_start_time() || !a.has_end_time()) {
    return InvalidField(a.has_start_time() ? "activity.end_time" : "activity.start_time",
                        "ACTIVITY_WINDOW_REQUIRED", "an activity has a start and an end");
  }
  const absl::Duration length = FromProtoTime(a.end_time()) - FromProtoTime(a.start_time());
  if (length <= absl::ZeroDuration() || length > absl::Hours(24 * 7)) {
    return InvalidField("activity.end_time", "ACTIVITY_WINDOW_INVALID",
                        "must be after start_time, at most 7 days later");
  }
  if (a.capacity() < 1 || a.capacity() > 10000) {
    return InvalidField("activity.capacity", "ACTIVITY_CAPACITY_INVALID",
                        "must be 1 to 10,000 places");
  }
  return absl::OkStatus();
}

absl::Status ValidatePointsRule(const v1::PointsRule& rule) {
  for (const absl::Status& s :
       {ValidateCommunityPath("rule.community_path", rule.community_path()),
        ValidateTypeCode("rule.activity_type", rule.activity_type(), true)}) {
    if (!s.ok()) return s;
  }
  for (const auto& [field, value] :
       {std::pair{"rule.points_per_hour", rule.points_per_hour()},
        std::pair{"rule.points_per_activity", rule.points_per_activity()},
        std::pair{"rule.points_per_good_deed", rule.points_per_good_deed()}}) {
    if (value < 0 || value > 100) {
      return InvalidField(field, "POINTS_RULE_INVALID", "must be 0 to 100 points");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckStep(v1::AttendanceState state, AttendanceStep step) {
  const char* to = "";
  bool ok = false;
  switch (step) {
    case AttendanceStep::kSignUp:
      ok = state == v1::ATTENDANCE_CANCELLED;
      to = "signed up again";
      break;
    case AttendanceStep::kCancel:
      ok = state == v1::ATTENDANCE_SIGNED_UP;
      to = "cancelled";
      break;
    case AttendanceStep::kCheckIn:
      ok = state == v1::ATTENDANCE_SIGNED_UP;
      to = "checked in";
      break;
    case AttendanceStep::kCheckOut:
      ok = state == v1::ATTENDANCE_CHECKED_IN;
      to = "checked out";
      break;
    case AttendanceStep::kConfirm:
      ok = state == v1::ATTENDANCE_CHECKED_OUT;
      to = "confirmed";
      break;
  }
  if (ok) return absl::OkStatus();
  return FailedPrecondition("ATTENDANCE_STATE", absl::StrCat("an attendance that is ",
                                                             StateName(state), " cannot be ", to));
}

bool HoldsPlace(v1::AttendanceState state) {
  return state != v1::ATTENDANCE_CANCELLED && state != v1::ATTENDANCE_STATE_UNSPECIFIED;
}

absl::Status ValidateRecordedTime(absl::string_view field, absl::Time time, absl::Time now,
                                  absl::Time not_before) {
  if (time > now + absl::Minutes(1)) {
    return InvalidField(field, "TIME_IN_FUTURE", "must not be in the future");
  }
  if (time < not_before) {
    return InvalidField(field, "TIME_BEFORE_CHECK_IN", "must not be before the check-in");
  }
  return absl::OkStatus();
}

int64_t ServiceMinutes(absl::Time window_start, absl::Time window_end, absl::Time check_in,
                       absl::Time check_out) {
  const absl::Time from = std::max(window_start, check_in);
  const absl::Time to = std::min(window_end, check_out);
  if (to <= from) return 0;
  return absl::ToInt64Minutes(to - from);
}

int64_t PointsFor(const v1::PointsRule& rule, int64_t minutes) {
  return rule.points_per_activity() + rule.points_per_hour() * (minutes / 60);
}

}  // namespace grassroots::volunteer
