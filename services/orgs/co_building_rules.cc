#include "services/orgs/co_building_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

using State = v1::CoBuildingProject::State;

bool IsOpen(State state) {
  return state == v1::CoBuildingProject::PLANNED || state == v1::CoBuildingProject::IN_PROGRESS;
}

}  // namespace

absl::Status CheckProjectTransition(State from, State to) {
  if (to != v1::CoBuildingProject::IN_PROGRESS && to != v1::CoBuildingProject::DONE &&
      to != v1::CoBuildingProject::CANCELLED) {
    return InvalidField("state", "PROJECT_STATE_INVALID",
                        "the next state is IN_PROGRESS, DONE or CANCELLED");
  }
  const std::string move = absl::StrCat(v1::CoBuildingProject::State_Name(from), " to ",
                                        v1::CoBuildingProject::State_Name(to));
  if (!IsOpen(from)) {
    return FailedPrecondition(
        "PROJECT_CLOSED", absl::StrCat("the project is ", v1::CoBuildingProject::State_Name(from),
                                       " and stays so: ", move, " is refused"));
  }
  if (from == to) {
    return FailedPrecondition(
        "PROJECT_STATE_UNCHANGED",
        absl::StrCat("the project is already ", v1::CoBuildingProject::State_Name(from)));
  }
  if (from == v1::CoBuildingProject::PLANNED && to == v1::CoBuildingProject::DONE) {
    return FailedPrecondition("PROJECT_STEP_SKIPPED",
                              absl::StrCat("a project is started (IN_PROGRESS) before it is done: ",
                                           move, " skips that step"));
  }
  return absl::OkStatus();
}

bool IsOverdue(State state, absl::CivilDay due_date, absl::CivilDay today) {
  return IsOpen(state) && today > due_date;
}

absl::Status ValidateProjectDueDate(absl::string_view field, absl::CivilDay due_date,
                                    absl::CivilDay today) {
  if (due_date >= today) return absl::OkStatus();
  return InvalidField(field, "DUE_DATE_PAST",
                      absl::StrCat("a new project falls due today (", absl::FormatCivilTime(today),
                                   ") or later, not ", absl::FormatCivilTime(due_date)));
}

}  // namespace grassroots::orgs
