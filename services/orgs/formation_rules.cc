#include "services/orgs/formation_rules.h"

#include "absl/strings/str_cat.h"

namespace grassroots::orgs {
namespace {

bool IsBranch(v1::OrganisationKind kind) {
  switch (kind) {
    case v1::GRID_BRANCH:
    case v1::COMPOUND_BRANCH:
    case v1::JOINT_BRANCH:
    case v1::FLOATING_MEMBER_BRANCH:
    case v1::TEMPORARY_BRANCH:
    case v1::TWO_NEW_ORGANISATION:
      return true;
    default:
      return false;
  }
}

bool StandsAlone(v1::OrganisationKind kind) {
  return IsBranch(kind) && kind != v1::JOINT_BRANCH && kind != v1::TEMPORARY_BRANCH;
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
                                  ": merge it into a joint branch")});
  }
  if (IsBranch(o.kind) && members > t.max_branch_members) {
    items.push_back(
        {FormationWorkItem::Action::kSplit, "MAX_BRANCH_MEMBERS",
         absl::StrCat("a branch has at most ", t.max_branch_members, " members and this one has ",
                      members, ": split it, or form a general branch")});
  }
  if (o.kind == v1::COMMUNITY_GENERAL_BRANCH && members > t.max_general_branch_members) {
    items.push_back(
        {FormationWorkItem::Action::kSplit, "MAX_GENERAL_BRANCH_MEMBERS",
         absl::StrCat("a general branch has at most ", t.max_general_branch_members,
                      " members and this one has ", members, ": form a community committee")});
  }
  return items;
}

}  // namespace grassroots::orgs
