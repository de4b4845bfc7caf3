#include "services/volunteer/roster_store.h"

#include "absl/strings/str_cat.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/volunteer/scope_errors.h"
#include "services/volunteer/volunteer_store.h"

namespace grassroots::volunteer {
namespace {

std::optional<v1::WorkingHours> Find(db::Connection& c, const std::string& scope,
                                     const std::string& volunteer_id) {
  auto& select = c.Prepare(absl::StrCat(
      "SELECT w.weekdays, w.start_minute, w.end_minute, w.utc_offset_minutes, w.update_time"
      " FROM working_hours w WHERE w.volunteer_id = ?",
      db::InScope("w.community_path")));
  select.setString(1, volunteer_id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  v1::WorkingHours h;
  h.set_volunteer_id(volunteer_id);
  h.set_weekdays(rows->getInt(1));
  h.set_start_minute(rows->getInt(2));
  h.set_end_minute(rows->getInt(3));
  h.set_utc_offset_minutes(rows->getInt(4));
  h.set_description(DescribeWorkingHours(FromProto(h)));
  ToProtoTime(db::FromDbTime(rows->getString(5)), h.mutable_update_time());
  return h;
}

}  // namespace

WorkingHours FromProto(const v1::WorkingHours& h) {
  return WorkingHours{h.weekdays(), h.start_minute(), h.end_minute(), h.utc_offset_minutes()};
}

absl::StatusOr<v1::WorkingHours> RosterStore::Set(const std::string& scope,
                                                  const WriteContext& write,
                                                  const v1::WorkingHours& hours) {
  v1::WorkingHours set = hours;
  set.set_description(DescribeWorkingHours(FromProto(hours)));
  ToProtoTime(absl::FromUnixMicros(absl::ToUnixMicros(write.now)), set.mutable_update_time());
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto volunteer = VolunteerStore::FindInScope(c, scope, hours.volunteer_id());
    if (!volunteer) return Hidden(scope, "hours.volunteer_id", "volunteer", "VOLUNTEER_NOT_FOUND");
    const auto before = Find(c, "", hours.volunteer_id());
    auto& upsert = c.Prepare(
        "INSERT INTO working_hours (volunteer_id, community_path, weekdays, start_minute,"
        " end_minute, utc_offset_minutes, update_time) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON DUPLICATE KEY UPDATE weekdays = VALUES(weekdays), start_minute ="
        " VALUES(start_minute), end_minute = VALUES(end_minute), utc_offset_minutes ="
        " VALUES(utc_offset_minutes), update_time = VALUES(update_time)");
    upsert.setString(1, set.volunteer_id());
    upsert.setString(2, volunteer->community_path());
    upsert.setInt(3, set.weekdays());
    upsert.setInt(4, set.start_minute());
    upsert.setInt(5, set.end_minute());
    upsert.setInt(6, set.utc_offset_minutes());
    upsert.setString(7, db::ToDbTime(write.now));
    upsert.executeUpdate();
    changes_.Append(c, write,
                    {absl::StrCat("working-hours/", set.volunteer_id()),
                     before ? common::v1::Change::UPDATED : common::v1::Change::CREATED,
                     volunteer->community_path(), &set, before ? &*before : nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return set;
}

absl::StatusOr<v1::WorkingHours> RosterStore::Get(const std::string& scope,
                                                  const std::string& volunteer_id) {
  std::optional<v1::WorkingHours> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = Find(c, scope, volunteer_id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope, "", "working hours", "WORKING_HOURS_NOT_FOUND");
  return *found;
}

absl::StatusOr<v1::WorkingHours> RosterStore::Clear(const std::string& scope,
                                                    const WriteContext& write,
                                                    const std::string& volunteer_id) {
  std::optional<v1::WorkingHours> found;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    found = Find(c, scope, volunteer_id);
    if (!found) return Hidden(scope, "", "working hours", "WORKING_HOURS_NOT_FOUND");
    auto& remove = c.Prepare("DELETE FROM working_hours WHERE volunteer_id = ?");
    remove.setString(1, volunteer_id);
    remove.executeUpdate();
    auto volunteer = VolunteerStore::FindInScope(c, "", volunteer_id);
    changes_.Append(c, write,
                    {absl::StrCat("working-hours/", volunteer_id), common::v1::Change::DELETED,
                     volunteer ? volunteer->community_path() : "", nullptr, &*found});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return *found;
}

absl::StatusOr<std::optional<WorkingHours>> RosterStore::HoursOf(
    const v1::Volunteer& volunteer) const {
  std::optional<v1::WorkingHours> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    found = Find(c, "", volunteer.id());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return std::optional<WorkingHours>();
  return std::optional<WorkingHours>(FromProto(*found));
}

}  // namespace grassroots::volunteer
