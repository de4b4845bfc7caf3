#pragma once

#include "absl/status/status.h"
#include "grassroots/dualreg/v1/evaluation.pb.h"

namespace grassroots::dualreg {

// A year a community evaluates in: 2000 to `this_year`.
absl::Status ValidateEvaluationYear(const char* field, int year, int this_year);

// A new evaluation: its registration, a year not in the future, a grade,
// a comment of up to 500 bytes that an INCOMPETENT grade must have (the
// member and the employer are owed the reason).
absl::Status ValidateEvaluation(const v1::MemberEvaluation& evaluation, int this_year);

}  // namespace grassroots::dualreg
