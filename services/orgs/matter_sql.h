#pragma once

#include <cppconn/resultset.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/db/connection.h"
#include "grassroots/orgs/v1/decision.pb.h"
#include "services/orgs/decision_rules.h"

namespace grassroots::orgs {

// Matters and their steps as rows, for the decision store and the
// objection store (between them the only code that speaks SQL about these
// tables).

// The columns FindMatter selects, in the order ReadMatterRow expects.
inline constexpr char kMatterColumns[] =
    "m.id, m.organisation_id, m.area_path, m.title, m.description, m.proposer_member_id,"
    " m.state, m.open_objections, m.resolution_time, m.result_time, m.proposed_by, m.version,"
    " m.create_time, m.update_time";

// A matter as stored: the state of its last step, and the times the
// clocks run from.
struct MatterRow {
  v1::Matter matter;  // the stored fields, without state and clocks
  MatterState stored = v1::Matter::STATE_UNSPECIFIED;
  int open_objections = 0;
  std::optional<absl::Time> resolution_time, result_time;
  int64_t version = 0;
};

std::optional<absl::Time> OptionalTime(sql::ResultSet& r, int column);
MatterRow ReadMatterRow(sql::ResultSet& r);
// The matter as callers see it at `now`: DONE and the clocks computed.
v1::Matter Presented(const MatterRow& row, absl::Time now, const PublicationRules& rules);
// For a scoped caller "out of scope" and "no such matter" look the same.
absl::Status HiddenMatter(const std::string& scope);
// `lock` is "", " FOR UPDATE" or " LOCK IN SHARE MODE".
std::optional<MatterRow> FindMatter(db::Connection& c, const std::string& scope,
                                    const std::string& id, const char* lock);
// Appends the matter's steps, with their participants, in order.
void LoadSteps(db::Connection& c, const std::string& matter_id, v1::Matter* matter);

}  // namespace grassroots::orgs
