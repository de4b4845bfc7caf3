#pragma once

#include "grassroots/grid/v1/case_figures.pb.h"
#include "services/careers/assessment_rules.h"

namespace grassroots::careers {

// A worker's case performance as grid's figures give it: the cases they
// collected that closed in the period, those closed on time, and the
// reporters' ratings. Ratings of the period can be of cases closed the year
// before; when there are more ratings than closures, the ratings' mean is
// kept over as many as there are closures, so the counts stay consistent.
CasePerformance PerformanceOf(const grid::v1::CaseFigures& figures);

}  // namespace grassroots::careers
