#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/meeting.pb.h"
#include "services/orgs/meeting_rules.h"

namespace grassroots::orgs {

struct MeetingPage {
  std::vector<v1::Meeting> meetings;
  std::string last_key;  // "planned_date|id"; empty when this was the last page
};

struct OverduePage {
  std::vector<v1::OverdueMeeting> overdue;
  std::string last_path;  // empty when this was the last page
};

// What RecordMeeting brings.
struct HeldMeetingRecord {
  absl::CivilDay actual;
  bool election = false;
  const google::protobuf::RepeatedPtrField<v1::Attendance>* attendance = nullptr;
  const google::protobuf::RepeatedPtrField<std::string>* decisions = nullptr;
};

// The only code that speaks SQL about meetings, their attendance and
// decisions. Meetings carry their organisation's place (area_path) and every
// query puts the caller's scope on it. The roster comes from the roster
// history (MembershipHistory) and, for committee meetings, from the
// committee store's seats.
class MeetingStore {
 public:
  // Organisations examined at most by one compliance report.
  static constexpr int kMaxComplianceOrganisations = 5000;

  MeetingStore(db::ConnectionPool& pool, const ChangeLog& changes, MeetingFrequencies frequencies)
      : pool_(pool), changes_(changes), frequencies_(frequencies) {}

  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::Meeting> Plan(const std::string& scope, const WriteContext& write,
                                   const v1::Meeting& meeting);
  // The attendance is checked against the roster of `held.actual`, and the
  // quorum computed from it, in the transaction that records the meeting.
  absl::StatusOr<v1::Meeting> Record(const std::string& scope, const WriteContext& write,
                                     const std::string& id, const std::string& etag,
                                     const HeldMeetingRecord& held);
  absl::StatusOr<v1::Meeting> Cancel(const std::string& scope, const WriteContext& write,
                                     const std::string& id, const std::string& etag,
                                     const std::string& reason);
  absl::StatusOr<v1::Meeting> Get(const std::string& scope, const std::string& id);
  // Newest planned first, after `after_key`; `type` UNSPECIFIED for all.
  absl::StatusOr<MeetingPage> List(const std::string& scope, const std::string& organisation_id,
                                   v1::MeetingType type, int page_size,
                                   const std::string& after_key);
  absl::StatusOr<v1::MeetingRoster> Roster(const std::string& scope,
                                           const std::string& organisation_id, v1::MeetingType type,
                                           absl::CivilDay day);
  absl::StatusOr<v1::MeetingClock> Clock(const std::string& scope,
                                         const std::string& organisation_id, absl::CivilDay today);
  // Organisations of the subtree that hold meetings, `page_size` examined per
  // page in tree order after `after_path`, with their overdue clocks.
  absl::StatusOr<OverduePage> Overdue(const std::string& scope, const std::string& organisation_id,
                                      absl::CivilDay today, int page_size,
                                      const std::string& after_path);
  // FAILED_PRECONDITION (COMPLIANCE_SUBTREE_TOO_LARGE) beyond
  // kMaxComplianceOrganisations.
  absl::StatusOr<v1::MeetingCompliance> Compliance(const std::string& scope,
                                                   const std::string& organisation_id,
                                                   absl::CivilDay from, absl::CivilDay to,
                                                   absl::CivilDay today);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const MeetingFrequencies frequencies_;
};

}  // namespace grassroots::orgs
