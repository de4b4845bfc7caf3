#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/activity.pb.h"
#include "services/volunteer/work_roster.h"

namespace grassroots::volunteer {

struct AttendancePage {
  std::vector<v1::Attendance> attendances;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about attendances. Rows are locked in one
// order everywhere: the activity, then the attendance, then (through the
// ledger) the accounts.
class AttendanceStore {
 public:
  // `roster` says who is a community worker and when they work.
  AttendanceStore(db::ConnectionPool& pool, const ChangeLog& changes, const WorkRoster& roster)
      : pool_(pool), changes_(changes), roster_(roster) {}

  // Under a lock on the activity: a place is taken only while one is free.
  absl::StatusOr<v1::Attendance> SignUp(const std::string& scope, const WriteContext& write,
                                        const std::string& activity_id,
                                        const std::string& volunteer_id);
  absl::StatusOr<v1::Attendance> Cancel(const std::string& scope, const WriteContext& write,
                                        const std::string& attendance_id);
  // `check_in` true for a check-in, false for a check-out, at `time`.
  absl::StatusOr<v1::Attendance> RecordTime(const std::string& scope, const WriteContext& write,
                                            const std::string& attendance_id, bool check_in,
                                            absl::Time time);
  // Minutes, points and the ledger credit in one transaction.
  absl::StatusOr<v1::Attendance> Confirm(const std::string& scope, const WriteContext& write,
                                         const std::string& attendance_id);
  absl::StatusOr<AttendancePage> List(const std::string& scope, const std::string& activity_id,
                                      int page_size, const std::string& after_id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const WorkRoster& roster_;
};

}  // namespace grassroots::volunteer
