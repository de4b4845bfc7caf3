#include "services/grid/figure_case_filter.h"

#include "common/status/errors.h"

namespace grassroots::grid {
namespace {

using Figure = v1::ListFigureCasesRequest;

// States as numbers (case.proto): 3 REJECTED, 8 CLOSED, 9 EVALUATED, 11
// MERGED; level 1 COMMUNITY.
constexpr char kOpen[] = " AND state NOT IN (3, 8, 9, 11)";
constexpr char kClosed[] = " AND state IN (8, 9)";
constexpr char kOnTime[] =
    " AND state IN (8, 9) AND extension_count = 0 AND level = 1 AND NOT overdue";
constexpr char kDeferred[] = " AND state IN (8, 9) AND extension_count > 0";
constexpr char kReworked[] = " AND state IN (8, 9) AND rework_count > 0";
constexpr char kLate[] = " AND state IN (8, 9) AND extension_count = 0 AND (level > 1 OR overdue)";
constexpr char kEvaluated[] = " AND state IN (8, 9) AND satisfaction > 0";

}  // namespace

absl::Status ApplyFigureFilter(v1::ListFigureCasesRequest::Figure figure,
                               const std::optional<DayPeriod>& period, CaseQuery& query) {
  if (figure == Figure::FIGURE_UNSPECIFIED || !Figure::Figure_IsValid(figure)) {
    return InvalidField("figure", "FIGURE_REQUIRED", "name the figure whose cases to list");
  }
  if (figure == Figure::OPEN || figure == Figure::OVERDUE) {
    query.condition = kOpen;
    query.overdue_only = figure == Figure::OVERDUE;
    return absl::OkStatus();
  }
  if (!period) {
    return InvalidField("period", "PERIOD_REQUIRED", "this figure counts events of a period");
  }
  const std::pair<absl::Time, absl::Time> range{period->StartTime(), period->EndTime()};
  if (figure == Figure::REPORTED) {
    query.created_in = range;
    return absl::OkStatus();
  }
  query.closed_in = range;
  switch (figure) {
    case Figure::CLOSED_ON_TIME:
      query.condition = kOnTime;
      break;
    case Figure::CLOSED_DEFERRED:
      query.condition = kDeferred;
      break;
    case Figure::CLOSED_REWORKED:
      query.condition = kReworked;
      break;
    case Figure::CLOSED_LATE:
      query.condition = kLate;
      break;
    case Figure::EVALUATED:
      query.condition = kEvaluated;
      break;
    default:
      query.condition = kClosed;
      break;
  }
  return absl::OkStatus();
}

}  // namespace grassroots::grid
