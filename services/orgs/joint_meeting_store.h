#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/joint_meeting.pb.h"
#include "services/orgs/joint_meeting_rules.h"

namespace grassroots::orgs {

struct MeetingFilter {
  std::string area_id;  // empty: the caller's whole scope
  v1::JointMeeting::State state = v1::JointMeeting::STATE_UNSPECIFIED;
};

// Keyset position in (meeting date, id) order.
struct MeetingCursor {
  std::string meeting_date = "1000-01-01";  // before any date
  std::string id;
};

struct JointMeetingPage {
  std::vector<v1::JointMeeting> meetings;
  std::optional<MeetingCursor> last;  // empty when this was the last page
};

// A decision as the store records it: the handler has parsed its date.
struct DecisionInput {
  std::string title;
  std::string owner_unit_id;
  absl::CivilDay due_date;
};

// The only code that speaks SQL about joint meetings, their invitations,
// attendance and agenda items. Scope is the convener's place. Recording a
// meeting writes its co-building projects (through CoBuildingStore) in the
// same transaction.
class JointMeetingStore {
 public:
  // `agenda_days`: how many days before the meeting agenda items are due.
  JointMeetingStore(db::ConnectionPool& pool, const ChangeLog& changes,
                    int agenda_days = kDefaultAgendaDays)
      : pool_(pool), changes_(changes), agenda_days_(agenda_days) {}

  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::JointMeeting> Schedule(const std::string& scope, const WriteContext& write,
                                            const std::string& convener_organisation_id,
                                            const std::string& title, absl::CivilDay meeting_date,
                                            const std::vector<std::string>& invited_unit_ids);
  absl::StatusOr<v1::JointMeeting> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<JointMeetingPage> List(const std::string& scope, const MeetingFilter& filter,
                                        int page_size, const MeetingCursor& after);
  // Idempotent when write.request_id is set.
  absl::StatusOr<v1::JointMeetingAgendaItem> SubmitAgendaItem(
      const std::string& scope, const WriteContext& write, const std::string& meeting_id,
      const std::string& unit_id, const std::string& title, const std::string& description,
      absl::CivilDay today);
  absl::StatusOr<v1::JointMeeting> Record(const std::string& scope, const WriteContext& write,
                                          const std::string& id, const std::string& etag,
                                          const std::vector<std::string>& present_unit_ids,
                                          const std::string& minutes,
                                          const std::vector<DecisionInput>& decisions,
                                          absl::CivilDay today);
  absl::StatusOr<v1::JointMeeting> Cancel(const std::string& scope, const WriteContext& write,
                                          const std::string& id, const std::string& etag,
                                          const std::string& reason);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const int agenda_days_;
};

}  // namespace grassroots::orgs
