#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/co_building.pb.h"

namespace grassroots::orgs {

struct ProjectFilter {
  std::string area_id;  // empty: the caller's whole scope
  v1::CoBuildingProject::State state = v1::CoBuildingProject::STATE_UNSPECIFIED;
  bool overdue_only = false;
};

// Keyset position in (due date, id) order.
struct ProjectCursor {
  std::string due_date = "1000-01-01";  // before any date
  std::string id;
};

struct ProjectPage {
  std::vector<v1::CoBuildingProject> projects;
  std::optional<ProjectCursor> last;  // empty when this was the last page
};

// The only code that speaks SQL about co-building projects. Scope is the
// project's place (the convener's for a meeting decision, the community's
// for a match). `overdue` is computed from `today` on every read.
class CoBuildingStore {
 public:
  CoBuildingStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::CoBuildingProject> Get(const std::string& scope, const std::string& id,
                                            absl::CivilDay today);
  absl::StatusOr<ProjectPage> List(const std::string& scope, const ProjectFilter& filter,
                                   absl::CivilDay today, int page_size, const ProjectCursor& after);
  // The transition is checked against the stored state (co_building_rules).
  absl::StatusOr<v1::CoBuildingProject> UpdateStatus(const std::string& scope,
                                                     const WriteContext& write,
                                                     const std::string& id, const std::string& etag,
                                                     v1::CoBuildingProject::State to,
                                                     const std::string& note, absl::CivilDay today);

  // For the meeting and matching stores, inside their transactions: a new
  // PLANNED project (id, times and etag filled in) with its change row.
  static v1::CoBuildingProject Insert(db::Connection& c, const ChangeLog& changes,
                                      const WriteContext& write, v1::CoBuildingProject project,
                                      const std::string& owner_unit_name, bool carries_request_id);
  static std::vector<v1::CoBuildingProject> OfMeeting(db::Connection& c,
                                                      const std::string& meeting_id);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
