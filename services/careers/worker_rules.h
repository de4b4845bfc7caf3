#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/paths/street_of.h"
#include "grassroots/careers/v1/worker.pb.h"

namespace grassroots::careers {

// What a worker record and a change to it must hold. Pure, no I/O.

// A jurisdiction path ("d01/s03/c12"): up to 8 codes of a-z, 0-9, '-' and
// '_' joined by '/', at most 200 bytes; "" only when `may_be_city`.
absl::Status ValidatePath(absl::string_view field, absl::string_view path, bool may_be_city);

// The path and its enclosing regions, nearest first, ending with "" (the
// city): "d01/s03/c12" -> {"d01/s03/c12", "d01/s03", "d01", ""}.
std::vector<std::string> EnclosingRegions(absl::string_view path);

// Name, ID number, post, grade (1 to 40; the post's range is checked with
// the region's policy), entry channel, degree and hire date.
absl::Status ValidateNewWorker(const v1::Worker& worker);

// A working week: weekdays 1 to 127, start 0 to 1439 before end (at most
// 1440), the offset from UTC -720 to 840 minutes. `field` names it in the
// refusal ("worker.working_hours").
absl::Status ValidateWorkingHours(absl::string_view field, const v1::WorkingHours& hours);

// Monday to Friday 09:00-17:00 at UTC+8: a new worker's week unless given.
v1::WorkingHours StandardWorkingHours();

// "weekdays 31, 540-1020, UTC+480" (the history's before and after).
std::string WorkingHoursText(const v1::WorkingHours& hours);

// The change's own fields for its kind; ladder and grade-range checks are
// the pay and ladder rules'.
absl::Status ValidateChange(const v1::ChangeWorkerRequest& change);

// FAILED_PRECONDITION naming the rule when a worker in `status` may not
// take this kind of change (a worker who left takes none; only a seconded
// worker returns; a seconded worker is not seconded again).
absl::Status CheckChangeAllowed(v1::WorkerStatus status, v1::ChangeKind kind);

// Years a degree counts as service.
int DegreeYears(v1::Degree degree);

// Whether a worker may work alone: active and with passed post training.
bool QualifiedAlone(v1::WorkerStatus status, bool passed_post_training);

}  // namespace grassroots::careers
