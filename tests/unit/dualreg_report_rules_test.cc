#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "services/dualreg/report_rules.h"

namespace grassroots::dualreg {
namespace {

std::string Reason(const absl::Status& s) { return ErrorReason(s).value_or(s.ToString()); }

v1::EmployerReport Asked(const std::string& start, const std::string& end) {
  v1::EmployerReport report;
  report.set_unit_id("ur_1");
  report.set_period_start(start);
  report.set_period_end(end);
  return report;
}

TEST(ReportRules, APeriodThatHasEnded) {
  const absl::CivilDay today(2026, 8, 1);
  auto july = ValidateReportRequest(Asked("2026-07-01", "2026-07-31"), today);
  ASSERT_TRUE(july.ok());
  EXPECT_EQ(july->end, absl::CivilDay(2026, 7, 31));
  EXPECT_TRUE(ValidateReportRequest(Asked("2025-07-31", "2026-07-31"), today).ok());
  EXPECT_EQ(Reason(ValidateReportRequest(Asked("2025-07-30", "2026-07-31"), today).status()),
            "PERIOD_INVALID");
  EXPECT_EQ(Reason(ValidateReportRequest(Asked("2026-07-31", "2026-07-01"), today).status()),
            "PERIOD_INVALID");
  EXPECT_EQ(Reason(ValidateReportRequest(Asked("2026-07-01", "2026-08-02"), today).status()),
            "PERIOD_NOT_OVER");
  EXPECT_EQ(ErrorField(ValidateReportRequest(Asked("2026-7-1", "2026-07-31"), today).status()),
            "report.period_start");
  auto no_unit = Asked("2026-07-01", "2026-07-31");
  no_unit.set_unit_id("");
  EXPECT_EQ(ErrorField(ValidateReportRequest(no_unit, today).status()), "report.unit_id");
}

TEST(ReportRules, TheEmployerAcknowledgesOnce) {
  v1::EmployerReport report;
  report.set_state(v1::DELIVERED);
  EXPECT_TRUE(CheckAcknowledgeable(report, true).ok());
  EXPECT_EQ(Reason(CheckAcknowledgeable(report, false)), "NOT_THE_EMPLOYER");
  report.set_state(v1::ACKNOWLEDGED);
  EXPECT_EQ(Reason(CheckAcknowledgeable(report, true)), "REPORT_ACKNOWLEDGED");
}

}  // namespace
}  // namespace grassroots::dualreg
