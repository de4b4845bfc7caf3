#include "services/orgs/formation_threshold_store.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/area_store.h"

namespace grassroots::orgs {
namespace {

constexpr char kSettingColumns[] =
    "area_path, min_full_members_for_branch, max_branch_members, max_general_branch_members,"
    " joint_branch_max_units, compound_min_full_members, compound_min_residents,"
    " workplace_min_employees";

RegionSetting ReadSetting(sql::ResultSet& r) {
  RegionSetting s;
  s.area_path = r.getString(1);
  s.thresholds.min_full_members_for_branch = r.getInt(2);
  s.thresholds.max_branch_members = r.getInt(3);
  s.thresholds.max_general_branch_members = r.getInt(4);
  s.thresholds.joint_branch_max_units = r.getInt(5);
  s.thresholds.compound_min_full_members = r.getInt(6);
  s.thresholds.compound_min_residents = r.getInt(7);
  s.thresholds.workplace_min_employees = r.getInt(8);
  return s;
}

// Settings of `path` and the regions above it.
std::vector<RegionSetting> SettingsAbove(db::Connection& c, const std::string& path) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kSettingColumns,
                                        " FROM formation_thresholds"
                                        " WHERE area_path = ? OR ? LIKE CONCAT(area_path, '/%')"));
  select.setString(1, path);
  select.setString(2, path);
  std::vector<RegionSetting> settings;
  auto rows = c.Query(select);
  while (rows->next()) settings.push_back(ReadSetting(*rows));
  return settings;
}

absl::Status Hidden(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the area lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError("area_id: no such area"), "AREA_NOT_FOUND");
}

v1::RegionThresholds Answer(const v1::Area& area, const ResolvedThresholds& resolved,
                            std::optional<int64_t> own_version) {
  v1::RegionThresholds out;
  out.set_area_id(area.id());
  out.set_area_path(area.path());
  *out.mutable_thresholds() = ToProto(resolved.thresholds);
  out.set_source_area_path(resolved.source_area_path);
  if (own_version) out.set_etag(EtagOf(*own_version));
  return out;
}

std::optional<int64_t> OwnVersion(db::Connection& c, const std::string& area_id, const char* lock) {
  auto& select =
      c.Prepare(absl::StrCat("SELECT version FROM formation_thresholds WHERE area_id = ?", lock));
  select.setString(1, area_id);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return rows->getInt64(1);
}

}  // namespace

v1::FormationThresholds ToProto(const FormationThresholds& t) {
  v1::FormationThresholds p;
  p.set_min_full_members_for_branch(t.min_full_members_for_branch);
  p.set_max_branch_members(t.max_branch_members);
  p.set_max_general_branch_members(t.max_general_branch_members);
  p.set_joint_branch_max_units(t.joint_branch_max_units);
  p.set_compound_min_full_members(t.compound_min_full_members);
  p.set_compound_min_residents(t.compound_min_residents);
  p.set_workplace_min_employees(t.workplace_min_employees);
  return p;
}

FormationThresholds FromProto(const v1::FormationThresholds& p) {
  FormationThresholds t;
  t.min_full_members_for_branch = p.min_full_members_for_branch();
  t.max_branch_members = p.max_branch_members();
  t.max_general_branch_members = p.max_general_branch_members();
  t.joint_branch_max_units = p.joint_branch_max_units();
  t.compound_min_full_members = p.compound_min_full_members();
  t.compound_min_residents = p.compound_min_residents();
  t.workplace_min_employees = p.workplace_min_employees();
  return t;
}

std::vector<RegionSetting> FormationThresholdStore::SettingsAround(db::Connection& c,
                                                                   const std::string& path) {
  std::vector<RegionSetting> settings;
  if (path.empty()) {
    auto& all = c.Prepare(absl::StrCat("SELECT ", kSettingColumns, " FROM formation_thresholds"));
    auto rows = c.Query(all);
    while (rows->next()) settings.push_back(ReadSetting(*rows));
    return settings;
  }
  settings = SettingsAbove(c, path);
  auto& below = c.Prepare(absl::StrCat("SELECT ", kSettingColumns,
                                       " FROM formation_thresholds WHERE area_path LIKE ?"));
  below.setString(1, DescendantsLikePattern(path));
  auto rows = c.Query(below);
  while (rows->next()) settings.push_back(ReadSetting(*rows));
  return settings;
}

absl::StatusOr<std::vector<RegionSetting>> FormationThresholdStore::SettingsAround(
    const std::string& path) const {
  std::vector<RegionSetting> settings;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    settings = SettingsAround(c, path);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return settings;
}

absl::StatusOr<v1::RegionThresholds> FormationThresholdStore::Get(const std::string& scope,
                                                                  const std::string& area_id) {
  v1::RegionThresholds out;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto area = AreaStore::FindInScope(c, scope, area_id);
    if (!area) return Hidden(scope);
    out = Answer(*area, ResolveThresholds(defaults_, SettingsAbove(c, area->path()), area->path()),
                 OwnVersion(c, area_id, ""));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::RegionThresholds> FormationThresholdStore::Set(
    const std::string& scope, const WriteContext& write, const std::string& area_id,
    const v1::FormationThresholds& setting, const std::string& etag) {
  v1::RegionThresholds out;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto area = AreaStore::FindInScope(c, scope, area_id);
    if (!area) return Hidden(scope);
    const std::optional<int64_t> version = OwnVersion(c, area_id, " FOR UPDATE");
    if (!etag.empty()) {
      if (auto s = CheckEtag("etag", etag, version.value_or(0)); !s.ok()) return s;
    }
    std::vector<RegionSetting> settings;
    for (RegionSetting& s : SettingsAbove(c, area->path())) {
      if (s.area_path != area->path()) settings.push_back(std::move(s));
    }
    settings.push_back({area->path(), FromProto(setting)});
    const ResolvedThresholds resolved = ResolveThresholds(defaults_, settings, area->path());
    if (auto s = ValidateRegionSetting(FromProto(setting), resolved.thresholds); !s.ok()) return s;
    auto& upsert = c.Prepare(
        "INSERT INTO formation_thresholds (area_id, area_path, min_full_members_for_branch,"
        " max_branch_members, max_general_branch_members, joint_branch_max_units,"
        " compound_min_full_members, compound_min_residents, workplace_min_employees, version,"
        " update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON DUPLICATE KEY UPDATE"
        " min_full_members_for_branch = VALUES(min_full_members_for_branch),"
        " max_branch_members = VALUES(max_branch_members),"
        " max_general_branch_members = VALUES(max_general_branch_members),"
        " joint_branch_max_units = VALUES(joint_branch_max_units),"
        " compound_min_full_members = VALUES(compound_min_full_members),"
        " compound_min_residents = VALUES(compound_min_residents),"
        " workplace_min_employees = VALUES(workplace_min_employees),"
        " version = version + 1, update_time = VALUES(update_time)");
    upsert.setString(1, area_id);
    upsert.setString(2, area->path());
    upsert.setInt(3, setting.min_full_members_for_branch());
    upsert.setInt(4, setting.max_branch_members());
    upsert.setInt(5, setting.max_general_branch_members());
    upsert.setInt(6, setting.joint_branch_max_units());
    upsert.setInt(7, setting.compound_min_full_members());
    upsert.setInt(8, setting.compound_min_residents());
    upsert.setInt(9, setting.workplace_min_employees());
    upsert.setString(10, db::ToDbTime(write.now));
    upsert.executeUpdate();
    out = Answer(*area, resolved, version.value_or(0) + 1);
    // The change row holds the region's own values (zeros inherit).
    v1::RegionThresholds own = out;
    *own.mutable_thresholds() = setting;
    changes_.Append(c, write,
                    {area_id, version ? common::v1::Change::UPDATED : common::v1::Change::CREATED,
                     area->path(), &own, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace grassroots::orgs
