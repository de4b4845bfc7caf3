#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/activity.pb.h"

namespace grassroots::volunteer {

// The only code that speaks SQL about activities and points rules.
class ActivityStore {
 public:
  ActivityStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::Activity> Create(const std::string& scope, const WriteContext& write,
                                      const v1::Activity& requested);
  absl::StatusOr<v1::Activity> Get(const std::string& scope, const std::string& id);
  // Replaces the community's rule for the type, and opens the community's
  // issuing account the points will come from.
  absl::StatusOr<v1::PointsRule> SetRule(const std::string& scope, const WriteContext& write,
                                         const v1::PointsRule& rule);
  absl::StatusOr<std::vector<v1::PointsRule>> ListRules(const std::string& scope,
                                                        const std::string& community_path);

  // For other stores inside their transactions; `lock` is appended to the
  // statement ("" or " FOR UPDATE").
  static std::optional<v1::Activity> FindInScope(db::Connection& c, const std::string& scope,
                                                 const std::string& id, const char* lock = "");
  // The rule for the type, else the community's "*" rule, else no points.
  static v1::PointsRule RuleFor(db::Connection& c, const std::string& community_path,
                                const std::string& activity_type);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::volunteer
