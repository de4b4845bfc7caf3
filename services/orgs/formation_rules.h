#pragma once

#include <string>
#include <vector>

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
};

// An organisation as the rules see it.
struct OrganisationFigures {
  v1::OrganisationKind kind = v1::ORGANISATION_KIND_UNSPECIFIED;
  int full_members = 0;
  int probationary_members = 0;
};

// What the coverage engine asks of one organisation.
struct FormationWorkItem {
  enum class Action { kMerge, kSplit };
  Action action;
  std::string rule;     // MIN_FULL_MEMBERS, MAX_BRANCH_MEMBERS, MAX_GENERAL_BRANCH_MEMBERS
  std::string message;  // names the rule and the numbers
};

// The work items the rules raise for one organisation (none when it is in
// order). Branch-level kinds (grid, compound, floating-member, "two new"
// branches) need enough full members; a joint branch exists for units too
// small to stand alone and a temporary branch for a task, so neither is
// asked to merge. Member counts include probationary members, who are
// members of the branch; only full members count towards forming one.
std::vector<FormationWorkItem> FormationWorkItems(const OrganisationFigures& organisation,
                                                  const FormationThresholds& thresholds);

}  // namespace grassroots::orgs
