#include "services/careers/worker_rules.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "services/careers/training_rules.h"

namespace grassroots::careers {
namespace {

v1::Worker Valid() {
  v1::Worker w;
  w.set_community_path("d01/s01/c01");
  w.set_name("王秀英");
  w.set_id_number("110101199003071233");
  w.set_post(v1::POST_FULL_TIME_STAFF);
  w.set_grade(3);
  w.set_entry_channel(v1::ENTRY_EXTERNAL_RECRUITMENT);
  w.set_hire_date("2020-03-01");
  return w;
}

TEST(WorkerRules, ANewWorkerNamesEachBadField) {
  EXPECT_TRUE(ValidateNewWorker(Valid()).ok()) << ValidateNewWorker(Valid());
  v1::Worker w = Valid();
  w.set_id_number("110101199003071234");  // wrong check digit
  EXPECT_EQ(ErrorField(ValidateNewWorker(w)), "worker.id_number");
  w = Valid();
  w.clear_post();
  EXPECT_EQ(ErrorReason(ValidateNewWorker(w)), "POST_REQUIRED");
  w = Valid();
  w.clear_entry_channel();
  EXPECT_EQ(ErrorReason(ValidateNewWorker(w)), "ENTRY_CHANNEL_REQUIRED");
  w = Valid();
  w.set_hire_date("2020-02-30");
  EXPECT_EQ(ErrorField(ValidateNewWorker(w)), "worker.hire_date");
}

TEST(WorkerRules, RegionsNearestFirst) {
  EXPECT_EQ(EnclosingRegions("d01/s03/c12"),
            (std::vector<std::string>{"d01/s03/c12", "d01/s03", "d01", ""}));
  EXPECT_EQ(EnclosingRegions(""), (std::vector<std::string>{""}));
  EXPECT_EQ(StreetOf("d01/s03/c12"), "d01/s03");
  EXPECT_EQ(StreetOf("d01"), "d01");
}

TEST(WorkerRules, ChangesByKind) {
  v1::ChangeWorkerRequest c;
  c.set_id("wk_1");
  c.set_etag("1");
  c.set_effective_date("2025-01-01");
  c.set_reason("rotation plan");
  c.set_kind(v1::CHANGE_ROTATION);
  EXPECT_EQ(ErrorField(ValidateChange(c)), "community_path");
  c.set_community_path("d01/s01/c02");
  EXPECT_TRUE(ValidateChange(c).ok());
  c.set_kind(v1::CHANGE_POST);
  EXPECT_EQ(ErrorReason(ValidateChange(c)), "POST_REQUIRED");
  c.clear_etag();
  EXPECT_EQ(ErrorReason(ValidateChange(c)), "ETAG_REQUIRED");
}

TEST(WorkerRules, WhoTakesWhichChange) {
  EXPECT_EQ(ErrorReason(CheckChangeAllowed(v1::WORKER_LEFT, v1::CHANGE_GRADE)), "WORKER_LEFT");
  EXPECT_EQ(ErrorReason(CheckChangeAllowed(v1::WORKER_ACTIVE, v1::CHANGE_RETURN)),
            "WORKER_NOT_SECONDED");
  EXPECT_EQ(ErrorReason(CheckChangeAllowed(v1::WORKER_SECONDED, v1::CHANGE_SECONDMENT)),
            "WORKER_SECONDED");
  EXPECT_TRUE(CheckChangeAllowed(v1::WORKER_SECONDED, v1::CHANGE_RETURN).ok());
}

TEST(Training, OnlyPassedPostTrainingQualifiesAnActiveWorkerToWorkAlone) {
  v1::TrainingResult r;
  r.set_passed(true);
  r.set_course_kind(v1::COURSE_ANNUAL);
  EXPECT_FALSE(PassesPostTraining(r));
  r.set_course_kind(v1::COURSE_POST_TRAINING);
  EXPECT_TRUE(PassesPostTraining(r));
  r.set_passed(false);
  EXPECT_FALSE(PassesPostTraining(r));
  EXPECT_TRUE(QualifiedAlone(v1::WORKER_ACTIVE, true));
  EXPECT_FALSE(QualifiedAlone(v1::WORKER_ACTIVE, false));
  EXPECT_FALSE(QualifiedAlone(v1::WORKER_SECONDED, true));
}

TEST(Training, AResultFitsItsCourse) {
  v1::Course course;
  course.set_year(2025);
  course.set_hours(40);
  v1::TrainingResult r;
  r.set_worker_id("wk_1");
  r.set_course_id("co_1");
  r.set_hours_attended(41);
  r.set_completion_date("2025-06-01");
  EXPECT_TRUE(ValidateTrainingResult(r).ok());
  EXPECT_EQ(ErrorReason(CheckResultFitsCourse(r, course)), "HOURS_ABOVE_COURSE");
  r.set_hours_attended(40);
  r.set_completion_date("2024-12-31");
  EXPECT_EQ(ErrorReason(CheckResultFitsCourse(r, course)), "OUTSIDE_COURSE_YEAR");
  r.set_completion_date("2025-06-01");
  r.set_hours_attended(0);
  r.set_passed(true);
  EXPECT_EQ(ErrorReason(CheckResultFitsCourse(r, course)), "PASS_WITHOUT_ATTENDANCE");
  r.set_hours_attended(40);
  EXPECT_TRUE(CheckResultFitsCourse(r, course).ok());
}

}  // namespace
}  // namespace grassroots::careers
