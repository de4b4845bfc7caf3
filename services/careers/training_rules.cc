#include "services/careers/training_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "common/time/civil_date.h"
#include "services/careers/worker_rules.h"

namespace grassroots::careers {

absl::Status ValidateCourse(const v1::Course& c) {
  for (const absl::Status& s : {ValidatePath("course.region_path", c.region_path(), true),
                                ValidateText("course.title", c.title(), 200, true)}) {
    if (!s.ok()) return s;
  }
  if (c.kind() == v1::COURSE_KIND_UNSPECIFIED || !v1::CourseKind_IsValid(c.kind())) {
    return InvalidField("course.kind", "COURSE_KIND_REQUIRED",
                        "must be POST_TRAINING, ANNUAL or SPECIAL");
  }
  if (c.year() < 2000 || c.year() > 2100) {
    return InvalidField("course.year", "YEAR_INVALID", "must be 2000 to 2100");
  }
  if (c.hours() < 1 || c.hours() > 1000) {
    return InvalidField("course.hours", "HOURS_INVALID", "must be 1 to 1,000");
  }
  return absl::OkStatus();
}

absl::Status ValidateTrainingResult(const v1::TrainingResult& r) {
  for (const std::pair<const char*, const std::string*>& id :
       {std::pair{"result.worker_id", &r.worker_id()},
        std::pair{"result.course_id", &r.course_id()}}) {
    if (id.second->empty() || id.second->size() > 40) {
      return InvalidField(id.first, "ID_INVALID", "must be a non-empty id");
    }
  }
  if (auto s = ParseDate("result.completion_date", r.completion_date()); !s.ok()) {
    return s.status();
  }
  if (r.score() < 0 || r.score() > 100) {
    return InvalidField("result.score", "SCORE_INVALID", "must be 0 to 100");
  }
  if (r.hours_attended() < 0) {
    return InvalidField("result.hours_attended", "HOURS_INVALID", "must not be negative");
  }
  return absl::OkStatus();
}

absl::Status CheckResultFitsCourse(const v1::TrainingResult& r, const v1::Course& course) {
  if (r.hours_attended() > course.hours()) {
    return InvalidField("result.hours_attended", "HOURS_ABOVE_COURSE",
                        absl::StrCat("the course has ", course.hours(), " hours"));
  }
  auto done = ParseDate("result.completion_date", r.completion_date());
  if (!done.ok()) return done.status();
  if (done->year() != course.year()) {
    return InvalidField("result.completion_date", "OUTSIDE_COURSE_YEAR",
                        absl::StrCat("the course runs in ", course.year()));
  }
  if (r.passed() && r.hours_attended() == 0) {
    return InvalidField("result.passed", "PASS_WITHOUT_ATTENDANCE",
                        "a worker who attended no hours cannot pass");
  }
  return absl::OkStatus();
}

bool PassesPostTraining(const v1::TrainingResult& r) {
  return r.passed() && r.course_kind() == v1::COURSE_POST_TRAINING;
}

}  // namespace grassroots::careers
