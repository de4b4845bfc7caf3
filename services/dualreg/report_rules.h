#pragma once

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "grassroots/dualreg/v1/report.pb.h"

namespace grassroots::dualreg {

struct Period {
  absl::CivilDay start;
  absl::CivilDay end;  // included
};

// A report's unit and period: "YYYY-MM-DD" days, start <= end, at most
// 366 days, ending no later than `today`.
absl::StatusOr<Period> ValidateReportRequest(const v1::EmployerReport& report,
                                             absl::CivilDay today);

// The employer acknowledges once.
absl::Status CheckAcknowledgeable(const v1::EmployerReport& report, bool is_employer);

}  // namespace grassroots::dualreg
