#include "services/grid/visit_report_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

std::string Reason(const absl::Status& status) { return ErrorReason(status).value_or("OK"); }

v1::DatePeriod Period(const std::string& start, const std::string& end) {
  v1::DatePeriod p;
  p.set_start_date(start);
  p.set_end_date(end);
  return p;
}

absl::Time At(int y, int m, int d, int h) {
  return absl::FromCivil(absl::CivilHour(y, m, d, h), absl::UTCTimeZone());
}

TEST(VisitReportRulesTest, PeriodsRunUpToTheDayBeforeTheirEnd) {
  auto november = ReadPeriod("period", Period("2026-11-01", "2026-12-01"), true);
  ASSERT_TRUE(november.ok()) << november.status();
  ASSERT_TRUE(november->has_value());
  EXPECT_EQ((*november)->StartTime(), At(2026, 11, 1, 0));
  EXPECT_EQ((*november)->EndTime(), At(2026, 12, 1, 0));
  auto none = ReadPeriod("period", v1::DatePeriod(), false);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(ErrorField(ReadPeriod("period", v1::DatePeriod(), true).status()).value_or(""),
            "period.start_date");
  EXPECT_EQ(Reason(ReadPeriod("period", Period("2026-11-01", "2026-11-01"), true).status()),
            "END_NOT_AFTER_START");
  EXPECT_EQ(
      ErrorField(ReadPeriod("p", Period("2026-11-01", "2026-13-01"), true).status()).value_or(""),
      "p.end_date");
  EXPECT_TRUE(ReadPeriod("p", Period("2026-01-01", "2027-01-02"), true, 366).ok());
  EXPECT_EQ(Reason(ReadPeriod("p", Period("2026-01-01", "2027-01-03"), true, 366).status()),
            "PERIOD_TOO_LONG");
}

TEST(VisitReportRulesTest, TheReportIsAsOfTodayOrLater) {
  const absl::CivilDay today(2026, 12, 1);
  EXPECT_EQ(*ReadAsOf("as_of", "", today), today);
  EXPECT_EQ(*ReadAsOf("as_of", "2026-12-08", today), today + 7);
  EXPECT_EQ(Reason(ReadAsOf("as_of", "2026-11-30", today).status()), "AS_OF_IN_PAST");
  EXPECT_EQ(ErrorField(ReadAsOf("as_of", "tomorrow", today).status()).value_or(""), "as_of");
}

TEST(VisitReportRulesTest, ANextVisitIsDueAnIntervalAfterTheLastOrAfterBeingRecorded) {
  const absl::Time recorded = At(2026, 10, 1, 9);
  // Never visited: counted from the day recorded.
  EXPECT_EQ(DueDay(std::nullopt, recorded, 7), absl::CivilDay(2026, 10, 8));
  // Visited late in the (UTC) day: the day counts, not the hour.
  EXPECT_EQ(DueDay(At(2026, 11, 20, 23), recorded, 7), absl::CivilDay(2026, 11, 27));
  EXPECT_EQ(DueDay(At(2026, 11, 20, 0), recorded, 30), absl::CivilDay(2026, 12, 20));
  const absl::CivilDay due(2026, 11, 27);
  EXPECT_EQ(DaysOverdue(due, due - 3), 0);
  EXPECT_EQ(DaysOverdue(due, due), 0);  // on the due day the visit is in time
  EXPECT_EQ(DaysOverdue(due, due + 1), 1);
  EXPECT_EQ(DaysOverdue(due, due + 40), 40);
}

TEST(VisitReportRulesTest, AReportLooksAtOneGridOrAnAreaInsideTheScope) {
  EXPECT_EQ(*ReportArea("d1/s1", "", ""), "d1/s1");
  EXPECT_EQ(*ReportArea("d1/s1", "gd_1", ""), "d1/s1");
  EXPECT_EQ(*ReportArea("d1/s1", "", "d1/s1/c1"), "d1/s1/c1");
  EXPECT_EQ(*ReportArea("", "", "d1/s2"), "d1/s2");
  EXPECT_EQ(Reason(ReportArea("d1/s1", "", "d1/s2").status()), "OUT_OF_SCOPE");
  EXPECT_EQ(Reason(ReportArea("d1/s1", "", "d1").status()), "OUT_OF_SCOPE");
  EXPECT_EQ(Reason(ReportArea("", "gd_1", "d1").status()), "GRID_OR_AREA");
}

TEST(VisitReportRulesTest, AListingIsBoundedByWhatItNames) {
  v1::ListVisitsRequest request;
  EXPECT_EQ(Reason(ValidateVisitListing(request)), "VISIT_LISTING_UNBOUNDED");
  request.set_worker_ref("careers:wk1");
  EXPECT_TRUE(ValidateVisitListing(request).ok());
  request.set_household_id("hh_1");
  EXPECT_TRUE(ValidateVisitListing(request).ok());
  request.set_key_person_id("kp_1");
  EXPECT_EQ(Reason(ValidateVisitListing(request)), "HOUSEHOLD_OR_KEY_PERSON");
  request.clear_key_person_id();
  request.set_worker_ref("王五");
  EXPECT_EQ(Reason(ValidateVisitListing(request)), "PERSON_REF_INVALID");
}

}  // namespace
}  // namespace grassroots::grid
