#include "services/dualreg/report_rules.h"

#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/time/civil_date.h"

namespace grassroots::dualreg {

absl::StatusOr<Period> ValidateReportRequest(const v1::EmployerReport& report,
                                             absl::CivilDay today) {
  if (auto s = RequireId("report.unit_id", report.unit_id()); !s.ok()) return s;
  auto start = ParseDate("report.period_start", report.period_start());
  if (!start.ok()) return start.status();
  auto end = ParseDate("report.period_end", report.period_end());
  if (!end.ok()) return end.status();
  if (*end < *start || *end - *start >= 366) {
    return InvalidField("report.period_end", "PERIOD_INVALID",
                        "a report covers 1 to 366 days, period_start to period_end");
  }
  if (*end > today) {
    return InvalidField("report.period_end", "PERIOD_NOT_OVER",
                        "a report covers a period that has ended (period_end today at latest)");
  }
  return Period{*start, *end};
}

absl::Status CheckAcknowledgeable(const v1::EmployerReport& report, bool is_employer) {
  if (!is_employer) {
    return PermissionDenied("NOT_THE_EMPLOYER", "only the employer acknowledges its report");
  }
  if (report.state() == v1::ACKNOWLEDGED) {
    return FailedPrecondition("REPORT_ACKNOWLEDGED", "the report was acknowledged already");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::dualreg
