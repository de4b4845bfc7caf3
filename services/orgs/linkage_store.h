#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/linkage.pb.h"

namespace grassroots::orgs {

struct LinkFilter {
  std::string area_id;  // empty: the whole scope
  std::optional<absl::CivilDay> active_on;
  std::string member_id;
};

struct LinkPage {
  std::vector<v1::Link> links;
  std::string last_id;  // empty when this was the last page
};

struct ProblemFilter {
  std::string link_id;  // one link's problems, or
  std::string area_id;  // those below a place (empty: the whole scope)
  v1::LinkageProblem::State state = v1::LinkageProblem::STATE_UNSPECIFIED;
};

struct ProblemPage {
  std::vector<v1::LinkageProblem> problems;
  std::string last_id;  // empty when this was the last page
};

// The only code that speaks SQL about links and their problems. Scope is
// the link's community (area_path, repeated on each problem).
class LinkageStore {
 public:
  LinkageStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // The community must lie in the scope; a member official must exist
  // (anywhere: officials come from every level). Idempotent by request_id.
  absl::StatusOr<v1::Link> CreateLink(const std::string& scope, const WriteContext& write,
                                      const v1::Link& requested);
  absl::StatusOr<v1::Link> GetLink(const std::string& scope, const std::string& id);
  // In id order after `after_id`, each with its problem counts.
  absl::StatusOr<LinkPage> ListLinks(const std::string& scope, const LinkFilter& filter,
                                     int page_size, const std::string& after_id);
  absl::StatusOr<v1::Link> EndLink(const std::string& scope, const WriteContext& write,
                                   const std::string& id, const std::string& etag,
                                   absl::CivilDay end_date, absl::CivilDay today);

  // Idempotent by request_id.
  absl::StatusOr<v1::LinkageProblem> RaiseProblem(const std::string& scope,
                                                  const WriteContext& write,
                                                  const std::string& link_id,
                                                  const std::string& title,
                                                  const std::string& category,
                                                  absl::CivilDay raised_date, absl::CivilDay today);
  // `to` is SOLVED (resolution: how) or CLOSED_UNSOLVED (resolution: why).
  absl::StatusOr<v1::LinkageProblem> ResolveProblem(
      const std::string& scope, const WriteContext& write, const std::string& id,
      const std::string& etag, v1::LinkageProblem::State to, absl::CivilDay resolved_date,
      const std::string& resolution, absl::CivilDay today);
  absl::StatusOr<v1::LinkageProblem> GetProblem(const std::string& scope, const std::string& id);
  absl::StatusOr<ProblemPage> ListProblems(const std::string& scope, const ProblemFilter& filter,
                                           int page_size, const std::string& after_id);

  // Links active and problems raised over [from, to] below a place, in one
  // grouped query, in total and per place one level down.
  absl::StatusOr<v1::LinkageSummary> Summary(const std::string& scope, const std::string& area_id,
                                             absl::CivilDay from, absl::CivilDay to);

  // For the area store: whether any link, ended ones included, is to the area.
  static bool AnyAt(db::Connection& c, const std::string& area_id);
  // For the area store, inside its move transaction: links and problems
  // under `old_path` follow to `new_path`, each with a change row.
  static void FollowAreaMove(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                             const std::string& old_path, const std::string& new_path);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::orgs
