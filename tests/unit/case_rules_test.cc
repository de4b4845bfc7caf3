#include "services/grid/case_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

std::string Reason(const absl::Status& s) { return ErrorReason(s).value_or("OK"); }
std::string Field(const absl::Status& s) { return ErrorField(s).value_or(""); }

v1::CaseCategory Category() {
  v1::CaseCategory c;
  c.set_code("ROAD_DAMAGE");
  c.set_name("Damaged road surface");
  c.set_kind(v1::Case::INCIDENT);
  auto* d = c.mutable_deadlines();
  d->set_register_minutes(60);
  d->set_dispatch_minutes(30);
  d->set_accept_minutes(60);
  d->set_handle_minutes(2400);
  d->set_verify_minutes(240);
  auto* size = c.add_extra_fields();
  size->set_key("size");
  size->set_label("Size of the damage");
  size->set_required(true);
  size->add_choices("small");
  size->add_choices("large");
  auto* lane = c.add_extra_fields();
  lane->set_key("lane");
  lane->set_label("Lane");
  c.set_duplicate_radius_meters(50);
  c.set_duplicate_window_minutes(1440);
  return c;
}

v1::Case Report() {
  v1::Case r;
  r.set_kind(v1::Case::INCIDENT);
  r.set_source(v1::Case::GRID_WORKER);
  r.set_category_code("ROAD_DAMAGE");
  r.set_grid_id("gd_1");
  r.set_latitude(30.27);
  r.set_longitude(120.15);
  r.set_description("pothole by the school gate");
  (*r.mutable_extra_fields())["size"] = "large";
  return r;
}

TEST(CaseRulesTest, Categories) {
  EXPECT_TRUE(ValidateCategory(Category()).ok());
  auto c = Category();
  c.set_code("road");
  EXPECT_EQ(Field(ValidateCategory(c)), "category.code");
  c = Category();
  c.mutable_deadlines()->set_handle_minutes(0);
  EXPECT_EQ(Field(ValidateCategory(c)), "category.deadlines.handle_minutes");
  c = Category();
  c.set_kind(v1::Case::KIND_UNSPECIFIED);
  EXPECT_EQ(Reason(ValidateCategory(c)), "KIND_REQUIRED");
  c = Category();
  c.mutable_extra_fields(1)->set_key("size");
  EXPECT_EQ(Reason(ValidateCategory(c)), "FIELD_KEY_REPEATED");
  c = Category();
  c.mutable_extra_fields(1)->set_key("Lane");
  EXPECT_EQ(Reason(ValidateCategory(c)), "FIELD_KEY_INVALID");
  c = Category();
  c.set_duplicate_radius_meters(5001);
  EXPECT_EQ(Reason(ValidateCategory(c)), "RADIUS_OUT_OF_RANGE");
  c = Category();
  c.set_duplicate_window_minutes(0);
  EXPECT_EQ(Reason(ValidateCategory(c)), "WINDOW_OUT_OF_RANGE");
}

TEST(CaseRulesTest, ReportsAgainstTheirCategory) {
  const v1::CaseCategory c = Category();
  EXPECT_TRUE(ValidateReport(Report(), c).ok());
  auto r = Report();
  r.set_kind(v1::Case::SERVICE_MATTER);
  EXPECT_EQ(Reason(ValidateReport(r, c)), "KIND_NOT_CATEGORYS");
  r = Report();
  r.set_source(v1::Case::SOURCE_UNSPECIFIED);
  EXPECT_EQ(Reason(ValidateReport(r, c)), "SOURCE_REQUIRED");
  r = Report();
  r.set_latitude(0);
  r.set_longitude(0);
  EXPECT_EQ(Reason(ValidateReport(r, c)), "LOCATION_REQUIRED");
  r = Report();
  r.set_latitude(91);
  EXPECT_EQ(Reason(ValidateReport(r, c)), "LATITUDE_OUT_OF_RANGE");
  r = Report();
  r.clear_description();
  EXPECT_EQ(Field(ValidateReport(r, c)), "case.description");
  r = Report();
  for (int i = 0; i < 10; ++i) r.add_photo_refs("p");
  EXPECT_EQ(Reason(ValidateReport(r, c)), "TOO_MANY_PHOTOS");
  r = Report();
  r.mutable_extra_fields()->erase("size");
  EXPECT_EQ(Field(ValidateReport(r, c)), "case.extra_fields[size]");
  EXPECT_EQ(Reason(ValidateReport(r, c)), "EXTRA_FIELD_REQUIRED");
  r = Report();
  (*r.mutable_extra_fields())["size"] = "huge";
  EXPECT_EQ(Reason(ValidateReport(r, c)), "EXTRA_FIELD_NOT_A_CHOICE");
  r = Report();
  (*r.mutable_extra_fields())["colour"] = "red";
  EXPECT_EQ(Reason(ValidateReport(r, c)), "EXTRA_FIELD_UNKNOWN");
  r = Report();
  (*r.mutable_extra_fields())["lane"] = "bus lane";
  EXPECT_TRUE(ValidateReport(r, c).ok());
}

TEST(CaseRulesTest, TasksNameTheirAdmissionItemAndServiceMattersTheirAppointment) {
  v1::CaseCategory tasks = Category();
  tasks.set_kind(v1::Case::DEPARTMENT_TASK);
  tasks.clear_extra_fields();
  v1::Case r = Report();
  r.set_kind(v1::Case::DEPARTMENT_TASK);
  r.clear_extra_fields();
  EXPECT_EQ(Field(ValidateReport(r, tasks)), "case.admission_item_code");
  r.set_admission_item_code("1.1");
  EXPECT_EQ(Field(ValidateReport(r, tasks)), "case.requesting_department");
  r.set_requesting_department("civil-affairs");
  EXPECT_TRUE(ValidateReport(r, tasks).ok());
  // An incident names no admission item, and has no appointment.
  v1::Case incident = Report();
  incident.set_admission_item_code("1.1");
  EXPECT_EQ(Reason(ValidateReport(incident, Category())), "NOT_A_TASK");
  incident = Report();
  incident.set_handled_on_behalf(true);
  EXPECT_EQ(Reason(ValidateReport(incident, Category())), "NOT_A_SERVICE_MATTER");
  // A service matter needs no location.
  v1::CaseCategory services = tasks;
  services.set_kind(v1::Case::SERVICE_MATTER);
  v1::Case matter = Report();
  matter.set_kind(v1::Case::SERVICE_MATTER);
  matter.clear_extra_fields();
  matter.set_latitude(0);
  matter.set_longitude(0);
  matter.set_handled_on_behalf(true);
  matter.mutable_appointment_time()->set_seconds(1'800'000'000);
  EXPECT_TRUE(ValidateReport(matter, services).ok());
}

TEST(CaseRulesTest, StepsThatMustSayWhy) {
  for (CaseAction a : {CaseAction::kReject, CaseAction::kDecline, CaseAction::kReportHandled,
                       CaseAction::kVerifyFailed, CaseAction::kSuspend}) {
    CaseStepInput input;
    input.action = a;
    EXPECT_EQ(Reason(ValidateStepInput(input)), "TEXT_REQUIRED") << ActionName(a);
    input.note = "because";
    EXPECT_TRUE(ValidateStepInput(input).ok()) << ActionName(a);
  }
  CaseStepInput input;
  input.action = CaseAction::kRegister;
  EXPECT_TRUE(ValidateStepInput(input).ok());
  input.note = std::string(1001, 'x');
  EXPECT_EQ(Reason(ValidateStepInput(input)), "TEXT_TOO_LONG");
}

TEST(CaseRulesTest, EvaluationsAndExtensions) {
  CaseStepInput input;
  input.action = CaseAction::kEvaluateResolved;
  input.resolution = v1::Case::FIXED;
  input.satisfaction = 0;
  EXPECT_EQ(Reason(ValidateStepInput(input)), "SATISFACTION_OUT_OF_RANGE");
  input.satisfaction = 6;
  EXPECT_EQ(Reason(ValidateStepInput(input)), "SATISFACTION_OUT_OF_RANGE");
  input.satisfaction = 4;
  EXPECT_TRUE(ValidateStepInput(input).ok());
  input.resolution = v1::Case::RESOLUTION_UNSPECIFIED;
  EXPECT_EQ(Reason(ValidateStepInput(input)), "RESOLUTION_REQUIRED");
  CaseStepInput ext;
  ext.action = CaseAction::kRequestExtension;
  ext.note = "waiting for parts";
  ext.extra_minutes = 0;
  EXPECT_EQ(Reason(ValidateStepInput(ext)), "EXTENSION_OUT_OF_RANGE");
  ext.extra_minutes = 43201;
  EXPECT_EQ(Reason(ValidateStepInput(ext)), "EXTENSION_OUT_OF_RANGE");
  ext.extra_minutes = 480;
  EXPECT_TRUE(ValidateStepInput(ext).ok());
}

}  // namespace
}  // namespace grassroots::grid
