#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "grassroots/orgs/v1/organisation.pb.h"

namespace grassroots::orgs {

// The party's branch work regulations as numbers (PRODUCT.md, section 1).
// The defaults are the national ones; a region may set its own.
struct FormationThresholds {
  // A unit with at least this many full members forms its own branch; a
  // branch with fewer should merge into a joint branch.
  int min_full_members_for_branch = 3;
  // A branch has at most this many members; more makes a general branch.
  int max_branch_members = 50;
  // A general branch has at most this many; more makes a committee.
  int max_general_branch_members = 100;
  // A joint branch covers at most this many units.
  int joint_branch_max_units = 5;
  // A residential compound with at least this many full members and this
  // many residents must have a party organisation.
  int compound_min_full_members = 3;
  int compound_min_residents = 500;
  // A workplace with at least this many employees must have one.
  int workplace_min_employees = 300;
};

// A region setting that sets nothing: every field 0, inherited.
FormationThresholds NothingSet();

// A region's own thresholds: zero fields inherit from the region above.
struct RegionSetting {
  std::string area_path;
  FormationThresholds thresholds;
};

struct ResolvedThresholds {
  FormationThresholds thresholds;
  // The deepest region that set any value in force ("" for the defaults).
  std::string source_area_path;
};

// The thresholds in force at `area_path`: each field from the nearest
// region up the tree that sets it, else from `defaults`.
ResolvedThresholds ResolveThresholds(const FormationThresholds& defaults,
                                     const std::vector<RegionSetting>& settings,
                                     const std::string& area_path);

// INVALID_ARGUMENT naming the field when a region's setting is negative or
// contradicts itself (a branch limit above the general branch limit).
absl::Status ValidateRegionSetting(const FormationThresholds& setting,
                                   const FormationThresholds& in_force);

// An organisation as the rules see it.
struct OrganisationFigures {
  v1::OrganisationKind kind = v1::ORGANISATION_KIND_UNSPECIFIED;
  int full_members = 0;
  int probationary_members = 0;
  // Places a joint branch covers.
  int covered_units = 0;
  // For the committee rule: the full members on the roster (a branch's
  // party groups' members included, as GetCommittee counts them) and the
  // committee seats they hold.
  int roster_full_members = 0;
  int committee_seats = 0;
};

// What the coverage engine asks of one organisation.
struct FormationWorkItem {
  enum class Action { kMerge, kSplit, kFormCommittee };
  Action action;
  // MIN_FULL_MEMBERS, MAX_BRANCH_MEMBERS, MAX_GENERAL_BRANCH_MEMBERS,
  // JOINT_BRANCH_MAX_UNITS, BRANCH_COMMITTEE_REQUIRED, BRANCH_COMMITTEE_TOO_LARGE
  std::string rule;
  std::string message;  // names the rule and the numbers
  // The full members the rule counted (the roster's for the committee rule).
  int full_members = 0;
};

// The work items the rules raise for one organisation (none when it is in
// order). Branch-level kinds (grid, compound, floating-member, "two new"
// branches) need enough full members; a joint branch exists for units too
// small to stand alone and a temporary branch for a task, so neither is
// asked to merge. Member counts include probationary members, who are
// members of the branch; only full members count towards forming one. A
// branch with 7 or more full members on its roster needs a committee of 3
// to 5 (committee_rules.h).
std::vector<FormationWorkItem> FormationWorkItems(const OrganisationFigures& organisation,
                                                  const FormationThresholds& thresholds);

}  // namespace grassroots::orgs
