#include "services/grid/whistle_rules.h"

#include <set>
#include <string>

#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "services/grid/case_rules.h"
#include "services/grid/grid_rules.h"

namespace grassroots::grid {

absl::StatusOr<int> ValidateWhistle(const v1::BlowWhistleRequest& request) {
  if (request.department_ids().empty() || request.department_ids_size() > kMaxWhistleDepartments) {
    return InvalidField("department_ids", "DEPARTMENTS_COUNT",
                        "name 1 to 20 departments that must report in");
  }
  std::set<std::string> seen;
  for (const std::string& id : request.department_ids()) {
    if (auto s = RequireId("department_ids", id); !s.ok()) return s;
    if (!seen.insert(id).second) {
      return InvalidField("department_ids", "DEPARTMENT_REPEATED", "each department is named once");
    }
  }
  const int minutes =
      request.report_in_minutes() == 0 ? kDefaultReportInMinutes : request.report_in_minutes();
  if (minutes < 5 || minutes > 24 * 60) {
    return InvalidField("report_in_minutes", "REPORT_IN_OUT_OF_RANGE",
                        "departments get 5 to 1440 minutes to report in");
  }
  if (auto s = ValidateText("note", request.note(), kMaxNoteBytes, true); !s.ok()) return s;
  return minutes;
}

bool IsLateReport(absl::Time reported, absl::Time due) { return reported > due; }

}  // namespace grassroots::grid
