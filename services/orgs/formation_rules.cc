#include "services/orgs/formation_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/status/errors.h"
#include "services/orgs/committee_rules.h"

namespace grassroots::orgs {
namespace {

bool StandsAlone(v1::OrganisationKind kind) {
  return IsBranchLevel(kind) && kind != v1::JOINT_BRANCH && kind != v1::TEMPORARY_BRANCH;
}

}  // namespace

std::vector<FormationWorkItem> FormationWorkItems(const OrganisationFigures& o,
                                                  const FormationThresholds& t) {
  std::vector<FormationWorkItem> items;
  const int members = o.full_members + o.probationary_members;
  if (StandsAlone(o.kind) && o.full_members < t.min_full_members_for_branch) {
    items.push_back({FormationWorkItem::Action::kMerge, "MIN_FULL_MEMBERS",
                     absl::StrCat("a branch needs at least ", t.min_full_members_for_branch,
                                  " full members and this one has ", o.full_members,
                                  ": merge it into a joint branch"),
                     o.full_members});
  }
  if (IsBranchLevel(o.kind) && members > t.max_branch_members) {
    items.push_back(
        {FormationWorkItem::Action::kSplit, "MAX_BRANCH_MEMBERS",
         absl::StrCat("a branch has at most ", t.max_branch_members, " members and this one has ",
                      members, ": split it, or form a general branch"),
         o.full_members});
  }
  if (o.kind == v1::JOINT_BRANCH && o.covered_units > t.joint_branch_max_units) {
    items.push_back({FormationWorkItem::Action::kSplit, "JOINT_BRANCH_MAX_UNITS",
                     absl::StrCat("a joint branch covers at most ", t.joint_branch_max_units,
                                  " units and this one covers ", o.covered_units, ": split it"),
                     o.full_members});
  }
  if (o.kind == v1::COMMUNITY_GENERAL_BRANCH && members > t.max_general_branch_members) {
    items.push_back(
        {FormationWorkItem::Action::kSplit, "MAX_GENERAL_BRANCH_MEMBERS",
         absl::StrCat("a general branch has at most ", t.max_general_branch_members,
                      " members and this one has ", members, ": form a community committee"),
         o.full_members});
  }
  if (auto committee =
          BranchCommitteeSizeFinding(o.kind, o.roster_full_members, o.committee_seats)) {
    items.push_back({FormationWorkItem::Action::kFormCommittee, committee->rule, committee->message,
                     o.roster_full_members});
  }
  return items;
}

namespace {

// Every threshold field with its name, so resolution and validation walk
// the same list.
struct Field {
  const char* name;
  int FormationThresholds::*member;
};
constexpr Field kFields[] = {
    {"min_full_members_for_branch", &FormationThresholds::min_full_members_for_branch},
    {"max_branch_members", &FormationThresholds::max_branch_members},
    {"max_general_branch_members", &FormationThresholds::max_general_branch_members},
    {"joint_branch_max_units", &FormationThresholds::joint_branch_max_units},
    {"compound_min_full_members", &FormationThresholds::compound_min_full_members},
    {"compound_min_residents", &FormationThresholds::compound_min_residents},
    {"workplace_min_employees", &FormationThresholds::workplace_min_employees},
};

}  // namespace

FormationThresholds NothingSet() {
  FormationThresholds none;
  for (const Field& f : kFields) none.*f.member = 0;
  return none;
}

ResolvedThresholds ResolveThresholds(const FormationThresholds& defaults,
                                     const std::vector<RegionSetting>& settings,
                                     const std::string& area_path) {
  std::vector<const RegionSetting*> applying;
  for (const RegionSetting& s : settings) {
    if (!s.area_path.empty() && PathWithin(area_path, s.area_path)) applying.push_back(&s);
  }
  // Outermost first, so a narrower region's values win.
  std::sort(applying.begin(), applying.end(), [](const RegionSetting* a, const RegionSetting* b) {
    return a->area_path.size() < b->area_path.size();
  });
  ResolvedThresholds resolved{defaults, ""};
  for (const RegionSetting* s : applying) {
    bool any = false;
    for (const Field& f : kFields) {
      if (s->thresholds.*f.member > 0) {
        resolved.thresholds.*f.member = s->thresholds.*f.member;
        any = true;
      }
    }
    if (any) resolved.source_area_path = s->area_path;
  }
  return resolved;
}

absl::Status ValidateRegionSetting(const FormationThresholds& setting,
                                   const FormationThresholds& in_force) {
  for (const Field& f : kFields) {
    if (setting.*f.member < 0 || setting.*f.member > 1000000) {
      return InvalidField(absl::StrCat("thresholds.", f.name), "THRESHOLD_INVALID",
                          "must be between 1 and 1000000, or 0 to inherit");
    }
  }
  if (in_force.max_branch_members > in_force.max_general_branch_members) {
    return InvalidField("thresholds.max_branch_members", "THRESHOLD_INVALID",
                        absl::StrCat("a branch limit of ", in_force.max_branch_members,
                                     " would exceed the general branch limit of ",
                                     in_force.max_general_branch_members));
  }
  if (in_force.min_full_members_for_branch > in_force.max_branch_members) {
    return InvalidField(
        "thresholds.min_full_members_for_branch", "THRESHOLD_INVALID",
        absl::StrCat("a branch cannot need ", in_force.min_full_members_for_branch,
                     " full members and allow at most ", in_force.max_branch_members, " members"));
  }
  return absl::OkStatus();
}

}  // namespace grassroots::orgs
