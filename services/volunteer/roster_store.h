#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/roster.pb.h"
#include "services/volunteer/work_roster.h"

namespace grassroots::volunteer {

// The roster volunteer admins maintain (table working_hours): the
// WorkRoster the service uses until careers is the source.
class RosterStore final : public WorkRoster {
 public:
  RosterStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::WorkingHours> Set(const std::string& scope, const WriteContext& write,
                                       const v1::WorkingHours& hours);
  absl::StatusOr<v1::WorkingHours> Get(const std::string& scope, const std::string& volunteer_id);
  absl::StatusOr<v1::WorkingHours> Clear(const std::string& scope, const WriteContext& write,
                                         const std::string& volunteer_id);

  absl::StatusOr<std::optional<WorkingHours>> HoursOf(
      const v1::Volunteer& volunteer) const override;

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

// The record as the rules read it, and back.
WorkingHours FromProto(const v1::WorkingHours& hours);

}  // namespace grassroots::volunteer
