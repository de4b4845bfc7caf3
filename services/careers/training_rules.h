#pragma once

#include "absl/status/status.h"
#include "grassroots/careers/v1/training.pb.h"

namespace grassroots::careers {

// Courses and results. Pure, no I/O.

absl::Status ValidateCourse(const v1::Course& course);
// The result's own fields, then against its course: hours up to the
// course's, completion in the course's year, a pass needs attendance.
absl::Status ValidateTrainingResult(const v1::TrainingResult& result);
absl::Status CheckResultFitsCourse(const v1::TrainingResult& result, const v1::Course& course);
// Whether the result makes its worker qualified to work alone.
bool PassesPostTraining(const v1::TrainingResult& result);

}  // namespace grassroots::careers
