// A case moved over from an earlier system: what one line must hold and
// the case it becomes.
#include "services/grid/case_import_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/time/proto_time.h"

namespace grassroots::grid {
namespace {

const absl::Time kImport =
    absl::FromCivil(absl::CivilSecond(2026, 12, 2, 12, 0, 0), absl::UTCTimeZone());

v1::CaseImportRecord Line(v1::Case::State state) {
  v1::CaseImportRecord r;
  r.set_external_system("12345");
  r.set_external_ticket_id("HZ-2026-000017");
  r.set_grid_path("d1/s1/c1/g1");
  r.set_kind(v1::Case::INCIDENT);
  r.set_source(v1::Case::RESIDENT);
  r.set_category_code("LITTER");
  r.set_latitude(30.2741);
  r.set_longitude(120.1551);
  r.set_description("bags of rubbish by the bus stop");
  r.set_state(state);
  ToProtoTime(kImport - absl::Hours(72), r.mutable_create_time());
  if (state >= v1::Case::DISPATCHED) r.set_department_code("SANITATION");
  if (state == v1::Case::REJECTED || state == v1::Case::CLOSED || state == v1::Case::EVALUATED) {
    ToProtoTime(kImport - absl::Hours(24), r.mutable_close_time());
  }
  if (state == v1::Case::EVALUATED) {
    r.set_resolution(v1::Case::FIXED);
    r.set_satisfaction(4);
  }
  return r;
}

std::string ReasonOf(const v1::CaseImportRecord& r) {
  return ErrorReason(ValidateCaseImportLine(r, kImport)).value_or("");
}

TEST(CaseImportRulesTest, EveryStateACaseCanStandInIsAccepted) {
  for (auto state : {v1::Case::REPORTED, v1::Case::REGISTERED, v1::Case::REJECTED,
                     v1::Case::DISPATCHED, v1::Case::HANDLING, v1::Case::HANDLED,
                     v1::Case::VERIFIED, v1::Case::CLOSED, v1::Case::EVALUATED}) {
    EXPECT_TRUE(ValidateCaseImportLine(Line(state), kImport).ok())
        << v1::Case::State_Name(state) << ": " << ValidateCaseImportLine(Line(state), kImport);
  }
  // Suspension and merging belong to this system's own steps.
  EXPECT_EQ(ReasonOf(Line(v1::Case::SUSPENDED)), "STATE_NOT_IMPORTABLE");
  EXPECT_EQ(ReasonOf(Line(v1::Case::MERGED)), "STATE_NOT_IMPORTABLE");
  EXPECT_EQ(ReasonOf(Line(v1::Case::STATE_UNSPECIFIED)), "STATE_NOT_IMPORTABLE");
}

TEST(CaseImportRulesTest, ALineSaysWhichFieldIsWrong) {
  auto line = Line(v1::Case::HANDLING);
  line.clear_external_ticket_id();
  EXPECT_EQ(ErrorField(ValidateCaseImportLine(line, kImport)), "external_ticket_id");
  line = Line(v1::Case::HANDLING);
  line.clear_department_code();
  EXPECT_EQ(ErrorField(ValidateCaseImportLine(line, kImport)), "department_code");
  line = Line(v1::Case::REGISTERED);
  line.set_department_code("SANITATION");
  EXPECT_EQ(ReasonOf(line), "DEPARTMENT_BEFORE_DISPATCH");
  line = Line(v1::Case::REPORTED);
  line.set_kind(v1::Case::KIND_UNSPECIFIED);
  EXPECT_EQ(ReasonOf(line), "KIND_REQUIRED");
  line = Line(v1::Case::REPORTED);
  line.set_source(v1::Case::SOURCE_UNSPECIFIED);
  EXPECT_EQ(ReasonOf(line), "SOURCE_REQUIRED");
  line = Line(v1::Case::REPORTED);
  line.set_latitude(91);
  EXPECT_EQ(ReasonOf(line), "LATITUDE_OUT_OF_RANGE");
  line = Line(v1::Case::REPORTED);
  line.set_longitude(-180.5);
  EXPECT_EQ(ReasonOf(line), "LONGITUDE_OUT_OF_RANGE");
  line = Line(v1::Case::REPORTED);
  line.clear_description();
  EXPECT_EQ(ErrorField(ValidateCaseImportLine(line, kImport)), "description");
  line = Line(v1::Case::CLOSED);
  line.set_rework_count(-1);
  EXPECT_EQ(ReasonOf(line), "REWORK_COUNT_OUT_OF_RANGE");
  line = Line(v1::Case::REPORTED);
  line.set_level(static_cast<v1::Case::Level>(9));
  EXPECT_EQ(ReasonOf(line), "LEVEL_INVALID");
}

TEST(CaseImportRulesTest, OnlyAnEvaluatedCaseHasAResolutionAndASatisfaction) {
  auto line = Line(v1::Case::EVALUATED);
  line.set_satisfaction(6);
  EXPECT_EQ(ReasonOf(line), "SATISFACTION_OUT_OF_RANGE");
  line.set_satisfaction(0);
  EXPECT_EQ(ReasonOf(line), "SATISFACTION_OUT_OF_RANGE");
  line = Line(v1::Case::EVALUATED);
  line.clear_resolution();
  EXPECT_EQ(ReasonOf(line), "RESOLUTION_REQUIRED");
  line = Line(v1::Case::CLOSED);
  line.set_satisfaction(5);
  EXPECT_EQ(ReasonOf(line), "NOT_EVALUATED");
}

TEST(CaseImportRulesTest, TimesAreInOrderAndNotAfterTheImport) {
  auto line = Line(v1::Case::REPORTED);
  line.clear_create_time();
  EXPECT_EQ(ReasonOf(line), "CREATE_TIME_REQUIRED");
  ToProtoTime(kImport + absl::Minutes(1), line.mutable_create_time());
  EXPECT_EQ(ReasonOf(line), "CREATE_TIME_IN_FUTURE");
  line = Line(v1::Case::HANDLING);
  ToProtoTime(kImport, line.mutable_close_time());
  EXPECT_EQ(ReasonOf(line), "CLOSE_TIME_OF_OPEN_CASE");
  line = Line(v1::Case::CLOSED);
  line.clear_close_time();
  EXPECT_EQ(ReasonOf(line), "CLOSE_TIME_REQUIRED");
  ToProtoTime(kImport - absl::Hours(100), line.mutable_close_time());
  EXPECT_EQ(ReasonOf(line), "CLOSE_BEFORE_CREATE");
  ToProtoTime(kImport + absl::Hours(1), line.mutable_close_time());
  EXPECT_EQ(ReasonOf(line), "CLOSE_TIME_IN_FUTURE");
}

TEST(CaseImportRulesTest, TheKindIsTheCategorys) {
  v1::CaseCategory service;
  service.set_code("ID_CARD");
  service.set_kind(v1::Case::SERVICE_MATTER);
  auto s = ValidateImportedCategory(Line(v1::Case::REPORTED), service);
  EXPECT_EQ(ErrorReason(s), "KIND_NOT_CATEGORYS");
  EXPECT_NE(s.message().find("ID_CARD is for SERVICE_MATTER cases"), std::string::npos) << s;
}

TEST(CaseImportRulesTest, AnOpenCaseGetsItsStepsAllowanceFromTheImport) {
  v1::CaseCategory category;
  category.set_code("LITTER");
  category.set_kind(v1::Case::INCIDENT);
  category.set_continuous_clock(true);
  category.mutable_deadlines()->set_handle_minutes(240);
  const ImportedCasePlace place{"cs_1", "gr_1", "d1/s1/c1/g1", "dp_1"};
  auto line = Line(v1::Case::HANDLING);
  line.set_level(v1::Case::STREET);
  line.set_rework_count(2);
  CaseRow row = ImportedCaseRow(line, place, category, WorkCalendarRules{}, kImport);
  EXPECT_EQ(row.view.id(), "cs_1");
  EXPECT_EQ(row.view.state(), v1::Case::HANDLING);
  EXPECT_EQ(row.view.level(), v1::Case::STREET);
  EXPECT_EQ(row.view.department_id(), "dp_1");
  EXPECT_EQ(row.view.rework_count(), 2);
  EXPECT_EQ(row.view.external_ticket().ticket_id(), "HZ-2026-000017");
  EXPECT_EQ(FromProtoTime(row.view.create_time()), kImport - absl::Hours(72));
  // Four hours from the import, not from three days ago: the sweeper does
  // not escalate a city's backlog the moment it arrives.
  ASSERT_TRUE(row.step_due.has_value());
  EXPECT_EQ(*row.step_due, kImport + absl::Minutes(240));
  EXPECT_FALSE(row.close_time.has_value());
  EXPECT_EQ(row.version, 1);

  CaseRow closed =
      ImportedCaseRow(Line(v1::Case::EVALUATED), place, category, WorkCalendarRules{}, kImport);
  EXPECT_EQ(closed.view.level(), v1::Case::COMMUNITY);
  ASSERT_TRUE(closed.close_time.has_value());
  EXPECT_EQ(*closed.close_time, kImport - absl::Hours(24));
  EXPECT_EQ(closed.view.satisfaction(), 4);
  EXPECT_FALSE(closed.step_due.has_value());

  CaseStepRecord step = ImportedCaseStep(line);
  EXPECT_EQ(step.action, "Import");
  EXPECT_EQ(step.from, v1::Case::STATE_UNSPECIFIED);
  EXPECT_EQ(step.to, v1::Case::HANDLING);
  EXPECT_EQ(step.detail, "external_system=12345 ticket_id=HZ-2026-000017");
}

}  // namespace
}  // namespace grassroots::grid
