#include "services/volunteer/attendance_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/volunteer/activity_rules.h"
#include "services/volunteer/activity_store.h"
#include "services/volunteer/created_record.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/ledger_store.h"
#include "services/volunteer/scope_errors.h"
#include "services/volunteer/volunteer_store.h"
#include "services/volunteer/working_hours_rules.h"

namespace grassroots::volunteer {
namespace {

constexpr char kColumns[] =
    "SELECT t.id, t.activity_id, t.volunteer_id, t.community_path, t.state, t.check_in_time,"
    " t.check_out_time, t.minutes, t.points, t.transfer_id, t.confirmed_by, t.update_time"
    " FROM attendances t";

v1::Attendance ReadAttendance(sql::ResultSet& r) {
  v1::Attendance a;
  a.set_id(r.getString(1));
  a.set_activity_id(r.getString(2));
  a.set_volunteer_id(r.getString(3));
  a.set_community_path(r.getString(4));
  a.set_state(static_cast<v1::AttendanceState>(r.getInt(5)));
  if (!r.isNull(6)) ToProtoTime(db::FromDbTime(r.getString(6)), a.mutable_check_in_time());
  if (!r.isNull(7)) ToProtoTime(db::FromDbTime(r.getString(7)), a.mutable_check_out_time());
  a.set_minutes(r.getInt64(8));
  a.set_points(r.getInt64(9));
  if (!r.isNull(10)) a.set_transfer_id(r.getString(10));
  a.set_confirmed_by(r.getString(11));
  ToProtoTime(db::FromDbTime(r.getString(12)), a.mutable_update_time());
  return a;
}

std::optional<v1::Attendance> Find(db::Connection& c, const std::string& scope,
                                   const char* condition, const std::string& a,
                                   const std::string& b, const char* lock) {
  auto& select = c.Prepare(
      absl::StrCat(kColumns, " WHERE ", condition, db::InScope("t.community_path"), lock));
  int index = 1;
  select.setString(index++, a);
  if (!b.empty()) select.setString(index++, b);
  db::BindScope(select, index, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadAttendance(*rows);
}

std::optional<v1::Attendance> FindById(db::Connection& c, const std::string& scope,
                                       const std::string& id, const char* lock = "") {
  return Find(c, scope, "t.id = ?", id, "", lock);
}

void SetTimeOrNull(sql::PreparedStatement& s, int index, const v1::Attendance& a, bool in) {
  const bool set = in ? a.has_check_in_time() : a.has_check_out_time();
  if (!set) {
    s.setNull(index, sql::DataType::VARCHAR);
    return;
  }
  s.setString(index, db::ToDbTime(FromProtoTime(in ? a.check_in_time() : a.check_out_time())));
}

// Writes the attendance's mutable columns and its change record.
void Save(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
          v1::Attendance& after, const v1::Attendance* before) {
  ToProtoTime(absl::FromUnixMicros(absl::ToUnixMicros(write.now)), after.mutable_update_time());
  auto& update = c.Prepare(
      "UPDATE attendances SET state = ?, check_in_time = ?, check_out_time = ?, minutes = ?,"
      " points = ?, transfer_id = ?, confirmed_by = ?, update_time = ? WHERE id = ?");
  update.setInt(1, after.state());
  SetTimeOrNull(update, 2, after, true);
  SetTimeOrNull(update, 3, after, false);
  update.setInt64(4, after.minutes());
  update.setInt64(5, after.points());
  SetStringOrNull(update, 6, after.transfer_id());
  update.setString(7, after.confirmed_by());
  update.setString(8, db::ToDbTime(write.now));
  update.setString(9, after.id());
  update.executeUpdate();
  changes.Append(c, write,
                 {after.id(), common::v1::Change::UPDATED, after.community_path(), &after, before});
}

void CountPlace(db::Connection& c, const std::string& activity_id, int delta) {
  auto& update = c.Prepare("UPDATE activities SET signed_up = signed_up + ? WHERE id = ?");
  update.setInt(1, delta);
  update.setString(2, activity_id);
  update.executeUpdate();
}

absl::Status RequireFreePlace(const v1::Activity& activity) {
  if (activity.signed_up() < activity.capacity()) return absl::OkStatus();
  return FailedPrecondition("ACTIVITY_FULL", absl::StrCat("all ", activity.capacity(),
                                                          " places of the activity are taken"));
}

}  // namespace

absl::StatusOr<v1::Attendance> AttendanceStore::SignUp(const std::string& scope,
                                                       const WriteContext& write,
                                                       const std::string& activity_id,
                                                       const std::string& volunteer_id) {
  v1::Attendance result;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto activity = ActivityStore::FindInScope(c, scope, activity_id, " FOR UPDATE");
        if (!activity) return Hidden(scope, "activity_id", "activity", "ACTIVITY_NOT_FOUND");
        if (!VolunteerStore::FindInScope(c, scope, volunteer_id)) {
          return Hidden(scope, "volunteer_id", "volunteer", "VOLUNTEER_NOT_FOUND");
        }
        auto existing = Find(c, scope, "t.activity_id = ? AND t.volunteer_id = ?", activity_id,
                             volunteer_id, " FOR UPDATE");
        if (existing && HoldsPlace(existing->state())) {
          result = *existing;  // signed up already: the same answer again
          return absl::OkStatus();
        }
        if (write.now >= FromProtoTime(activity->end_time())) {
          return FailedPrecondition("ACTIVITY_OVER", "the activity has ended");
        }
        if (auto s = RequireFreePlace(*activity); !s.ok()) return s;
        CountPlace(c, activity_id, 1);
        if (existing) {
          result = *existing;
          result.set_state(v1::ATTENDANCE_SIGNED_UP);
          Save(c, changes_, write, result, &*existing);
          return absl::OkStatus();
        }
        result.set_id(NewId("at", write.now));
        result.set_activity_id(activity_id);
        result.set_volunteer_id(volunteer_id);
        result.set_community_path(activity->community_path());
        result.set_state(v1::ATTENDANCE_SIGNED_UP);
        ToProtoTime(absl::FromUnixMicros(absl::ToUnixMicros(write.now)),
                    result.mutable_update_time());
        auto& insert = c.Prepare(
            "INSERT INTO attendances (id, activity_id, volunteer_id, community_path, state,"
            " minutes, points, confirmed_by, update_time) VALUES (?, ?, ?, ?, ?, 0, 0, '', ?)");
        insert.setString(1, result.id());
        insert.setString(2, activity_id);
        insert.setString(3, volunteer_id);
        insert.setString(4, result.community_path());
        insert.setInt(5, result.state());
        insert.setString(6, db::ToDbTime(write.now));
        insert.executeUpdate();
        changes_.Append(
            c, write,
            {result.id(), common::v1::Change::CREATED, result.community_path(), &result, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.read_committed = true});
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Attendance> AttendanceStore::Cancel(const std::string& scope,
                                                       const WriteContext& write,
                                                       const std::string& attendance_id) {
  v1::Attendance result;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        // The activity's lock first, as a sign-up takes them.
        auto seen = FindById(c, scope, attendance_id);
        if (!seen) return Hidden(scope, "", "attendance", "ATTENDANCE_NOT_FOUND");
        ActivityStore::FindInScope(c, "", seen->activity_id(), " FOR UPDATE");
        auto before = FindById(c, scope, attendance_id, " FOR UPDATE");
        result = *before;
        if (before->state() == v1::ATTENDANCE_CANCELLED) return absl::OkStatus();
        if (auto s = CheckStep(before->state(), AttendanceStep::kCancel); !s.ok()) return s;
        result.set_state(v1::ATTENDANCE_CANCELLED);
        CountPlace(c, before->activity_id(), -1);
        Save(c, changes_, write, result, &*before);
        return absl::OkStatus();
      },
      db::TransactionOptions{.read_committed = true});
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Attendance> AttendanceStore::RecordTime(const std::string& scope,
                                                           const WriteContext& write,
                                                           const std::string& attendance_id,
                                                           bool check_in, absl::Time time) {
  v1::Attendance result;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindById(c, scope, attendance_id, " FOR UPDATE");
    if (!before) return Hidden(scope, "", "attendance", "ATTENDANCE_NOT_FOUND");
    if (auto s = CheckStep(before->state(),
                           check_in ? AttendanceStep::kCheckIn : AttendanceStep::kCheckOut);
        !s.ok()) {
      return s;
    }
    const absl::Time not_before =
        check_in ? absl::InfinitePast() : FromProtoTime(before->check_in_time());
    if (auto s = ValidateRecordedTime("time", time, write.now, not_before); !s.ok()) return s;
    result = *before;
    const absl::Time at = absl::FromUnixMicros(absl::ToUnixMicros(time));
    if (check_in) {
      result.set_state(v1::ATTENDANCE_CHECKED_IN);
      ToProtoTime(at, result.mutable_check_in_time());
    } else {
      result.set_state(v1::ATTENDANCE_CHECKED_OUT);
      ToProtoTime(at, result.mutable_check_out_time());
    }
    Save(c, changes_, write, result, &*before);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::Attendance> AttendanceStore::Confirm(const std::string& scope,
                                                        const WriteContext& write,
                                                        const std::string& attendance_id) {
  // The roster is asked before the transaction (careers, the source for a
  // linked volunteer, is a call away); an attendance's volunteer never
  // changes. The attendance and its volunteer are read together.
  std::optional<v1::Attendance> seen;
  v1::Volunteer volunteer;
  absl::Status read = db::RunReadOnly(pool_, [&](db::Connection& c) {
    seen = FindById(c, scope, attendance_id);
    if (!seen) return absl::OkStatus();
    auto found = VolunteerStore::FindInScope(c, "", seen->volunteer_id());
    volunteer = found ? *std::move(found) : v1::Volunteer();
    volunteer.set_id(seen->volunteer_id());
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!seen) return Hidden(scope, "", "attendance", "ATTENDANCE_NOT_FOUND");
  auto working = roster_.HoursOf(volunteer);
  if (!working.ok()) return working.status();
  v1::Attendance result;
  absl::Status status =
      LedgerStore::RunLedgerTransaction(pool_, [&](db::Connection& c) -> absl::Status {
        auto before = FindById(c, scope, attendance_id, " FOR UPDATE");
        if (!before) return Hidden(scope, "", "attendance", "ATTENDANCE_NOT_FOUND");
        result = *before;
        // Confirmed once: again is the same answer, and nothing is credited twice.
        if (before->state() == v1::ATTENDANCE_CONFIRMED) return absl::OkStatus();
        if (auto s = CheckStep(before->state(), AttendanceStep::kConfirm); !s.ok()) return s;
        auto activity = ActivityStore::FindInScope(c, "", before->activity_id());
        const absl::Time from =
            std::max(FromProtoTime(activity->start_time()), FromProtoTime(before->check_in_time()));
        const absl::Time to =
            std::min(FromProtoTime(activity->end_time()), FromProtoTime(before->check_out_time()));
        auto minutes = VolunteeringMinutes(*working,
                                           ServiceMinutes(FromProtoTime(activity->start_time()),
                                                          FromProtoTime(activity->end_time()),
                                                          FromProtoTime(before->check_in_time()),
                                                          FromProtoTime(before->check_out_time())),
                                           from, to);
        if (!minutes.ok()) return minutes.status();
        result.set_minutes(*minutes);
        result.set_points(PointsFor(
            ActivityStore::RuleFor(c, activity->community_path(), activity->activity_type()),
            result.minutes()));
        result.set_state(v1::ATTENDANCE_CONFIRMED);
        result.set_confirmed_by(write.actor);
        if (result.points() > 0) {
          v1::Account issuing;
          issuing.set_kind(v1::ACCOUNT_KIND_ISSUING);
          issuing.set_community_path(activity->community_path());
          v1::Transfer credit;
          credit.set_id(absl::StrCat("attendance/", result.id()));
          credit.set_debit_account_id(LedgerStore::EnsureAccount(c, changes_, write, issuing).id());
          credit.set_credit_account_id(
              AccountId(v1::ACCOUNT_KIND_VOLUNTEER, "", result.volunteer_id()));
          credit.set_amount(result.points());
          credit.set_memo(absl::StrCat("attendance: ", activity->title()));
          auto applied = LedgerStore::Apply(c, changes_, "", write, {credit}, "attendance_id");
          if (!applied.ok()) return applied.status();
          result.set_transfer_id(credit.id());
        }
        Save(c, changes_, write, result, &*before);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<AttendancePage> AttendanceStore::List(const std::string& scope,
                                                     const std::string& activity_id, int page_size,
                                                     const std::string& after_id) {
  AttendancePage page;
  bool visible = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    visible = ActivityStore::FindInScope(c, scope, activity_id).has_value();
    if (!visible) return absl::OkStatus();
    auto& select = c.Prepare(
        absl::StrCat(kColumns, " WHERE t.activity_id = ? AND t.id > ? ORDER BY t.id LIMIT ?"));
    select.setString(1, activity_id);
    select.setString(2, after_id);
    select.setInt(3, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.attendances.push_back(ReadAttendance(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!visible) return Hidden(scope, "activity_id", "activity", "ACTIVITY_NOT_FOUND");
  if (static_cast<int>(page.attendances.size()) > page_size) {
    page.attendances.pop_back();
    page.last_id = page.attendances.back().id();
  }
  return page;
}

}  // namespace grassroots::volunteer
