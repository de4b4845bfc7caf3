#include "services/careers/staffing_store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "services/careers/quota_rules.h"
#include "services/careers/region_lookup.h"
#include "services/careers/worker_rules.h"

namespace grassroots::careers {
namespace {

v1::StaffingRule RuleFor(db::Connection& c, const std::string& path) {
  const std::vector<std::string> regions = EnclosingRegions(path);
  auto& select = c.Prepare(absl::StrCat(
      "SELECT region_path, base_households, minimum_workers, households_per_extra_worker FROM"
      " staffing_rules WHERE TRUE",
      InEnclosingRegions(regions), " ORDER BY LENGTH(region_path) DESC LIMIT 1"));
  BindRegions(select, 1, regions);
  auto rows = c.Query(select);
  if (!rows->next()) return DefaultStaffingRule();
  v1::StaffingRule rule;
  rule.set_region_path(rows->getString(1));
  rule.set_base_households(rows->getInt(2));
  rule.set_minimum_workers(rows->getInt(3));
  rule.set_households_per_extra_worker(rows->getInt(4));
  return rule;
}

}  // namespace

absl::StatusOr<v1::StaffingRule> StaffingStore::SetRule(const std::string& scope,
                                                        const WriteContext& write,
                                                        const v1::StaffingRule& rule) {
  if (!PathWithin(rule.region_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "rule.region_path lies outside the caller's jurisdiction");
  }
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
    auto& upsert = c.Prepare(
        "INSERT INTO staffing_rules (region_path, base_households, minimum_workers,"
        " households_per_extra_worker, update_time) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
        " base_households = VALUES(base_households), minimum_workers = VALUES(minimum_workers),"
        " households_per_extra_worker = VALUES(households_per_extra_worker),"
        " update_time = VALUES(update_time)");
    upsert.setString(1, rule.region_path());
    upsert.setInt(2, rule.base_households());
    upsert.setInt(3, rule.minimum_workers());
    upsert.setInt(4, rule.households_per_extra_worker());
    upsert.setString(5, db::ToDbTime(write.now));
    upsert.executeUpdate();
    changes_.Append(c, write,
                    {absl::StrCat("staffing-rule/", rule.region_path()),
                     common::v1::Change::UPDATED, rule.region_path(), &rule, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return rule;
}

absl::StatusOr<v1::CommunityHouseholds> StaffingStore::SetHouseholds(
    const std::string& scope, const WriteContext& write, const v1::CommunityHouseholds& h) {
  if (!PathWithin(h.community_path(), scope)) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "households.community_path lies outside the caller's jurisdiction");
  }
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) {
    auto& upsert = c.Prepare(
        "INSERT INTO community_households (community_path, households, update_time) VALUES"
        " (?, ?, ?) ON DUPLICATE KEY UPDATE households = VALUES(households),"
        " update_time = VALUES(update_time)");
    upsert.setString(1, h.community_path());
    upsert.setInt(2, h.households());
    upsert.setString(3, db::ToDbTime(write.now));
    upsert.executeUpdate();
    changes_.Append(c, write,
                    {absl::StrCat("households/", h.community_path()), common::v1::Change::UPDATED,
                     h.community_path(), &h, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return h;
}

absl::StatusOr<v1::StaffingReport> StaffingStore::Report(const std::string& scope,
                                                         const std::string& path) {
  if (!PathWithin(path, scope)) {
    return PermissionDenied("OUT_OF_SCOPE", "path lies outside the caller's jurisdiction");
  }
  // community -> {households, workers}
  std::map<std::string, std::pair<int, int>> communities;
  std::map<std::string, v1::StaffingRule> rules;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    communities.clear();
    auto& households = c.Prepare(
        absl::StrCat("SELECT community_path, households FROM community_households WHERE TRUE",
                     db::InScope("community_path")));
    db::BindScope(households, 1, path);
    auto h = c.Query(households);
    while (h->next()) communities[h->getString(1)].first = h->getInt(2);
    auto& workers = c.Prepare(
        absl::StrCat("SELECT community_path, COUNT(*) FROM workers WHERE status IN (1, 2)",
                     db::InScope("community_path"), " GROUP BY community_path"));
    db::BindScope(workers, 1, path);
    auto w = c.Query(workers);
    while (w->next()) communities[w->getString(1)].second = w->getInt(2);
    for (const auto& [community, counts] : communities) rules[community] = RuleFor(c, community);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  v1::StaffingReport report;
  std::map<std::string, v1::StreetStaffing*> streets;
  for (const auto& [community, counts] : communities) {
    const std::string street = StreetOf(community);
    v1::StreetStaffing*& s = streets[street];
    if (s == nullptr) {
      s = report.add_streets();
      s->set_street_path(street);
    }
    v1::CommunityStaffing* row = s->add_communities();
    const v1::StaffingRule& rule = rules[community];
    row->set_community_path(community);
    row->set_households(counts.first);
    row->set_quota(StaffingQuota(rule, counts.first));
    row->set_workers(counts.second);
    row->set_staffing(ClassifyStaffing(row->quota(), row->workers()));
    row->set_rule_region_path(rule.region_path());
    if (row->staffing() == v1::STAFFING_UNDER) s->set_under_staffed(s->under_staffed() + 1);
    if (row->staffing() == v1::STAFFING_OVER) s->set_over_staffed(s->over_staffed() + 1);
  }
  return report;
}

}  // namespace grassroots::careers
