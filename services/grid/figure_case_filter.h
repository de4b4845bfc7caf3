#pragma once

#include <optional>

#include "absl/status/status.h"
#include "grassroots/grid/v1/case_figures.pb.h"
#include "services/grid/case_store.h"
#include "services/grid/visit_report_rules.h"

namespace grassroots::grid {

// The cases behind a figure, as a condition on the cases' own columns, so
// that what ListFigureCases lists is what the figure counted: a case closed
// in the period counts where close_time falls (a case reopened since, as
// not fixed, no longer has one), on time when it never escalated, has no
// approved extension and is not overdue. Pure.
// INVALID_ARGUMENT on `figure` (FIGURE_REQUIRED) or `period`
// (PERIOD_REQUIRED) for figures of a period without one.
absl::Status ApplyFigureFilter(v1::ListFigureCasesRequest::Figure figure,
                               const std::optional<DayPeriod>& period, CaseQuery& query);

}  // namespace grassroots::grid
