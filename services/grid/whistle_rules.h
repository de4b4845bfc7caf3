#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grassroots/grid/v1/case.pb.h"

namespace grassroots::grid {

// The whistle (街乡吹哨、部门报到): which departments, how soon they must
// report in. Pure rules, no I/O.

inline constexpr int kDefaultReportInMinutes = 30;
inline constexpr int kMaxWhistleDepartments = 20;

// 1 to 20 distinct department ids, 5 to 1440 minutes (0: 30), a note;
// the effective minutes.
absl::StatusOr<int> ValidateWhistle(const v1::BlowWhistleRequest& request);

// A department reporting in at `reported` on a call due at `due`.
bool IsLateReport(absl::Time reported, absl::Time due);

}  // namespace grassroots::grid
