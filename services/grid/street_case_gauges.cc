#include "services/grid/street_case_gauges.h"

#include <algorithm>
#include <utility>

namespace grassroots::grid {
namespace {

struct TodayFigure {
  const char* event;
  Measure measure;
};

constexpr TodayFigure kToday[] = {
    {"reported", Measure::kReported},
    {"registered", Measure::kRegistered},
    {"rejected", Measure::kRejected},
    {"closed", Measure::kClosed},
    {"closed_on_time", Measure::kClosedOnTime},
    {"closed_deferred", Measure::kClosedDeferred},
    {"rework", Measure::kReworkEvents},
    {"evaluated", Measure::kEvaluated},
    {"satisfaction_points", Measure::kSatisfactionSum},
};

int64_t SumOf(const MeasureSums& sums, Measure m) {
  auto it = sums.find(static_cast<int>(m));
  return it == sums.end() ? 0 : it->second;
}

}  // namespace

StreetCaseGauges::StreetCaseGauges(prometheus::Registry& registry)
    : open_(prometheus::BuildGauge()
                .Name("grid_street_cases_open")
                .Help("Open cases per street now")
                .Register(registry)),
      overdue_(prometheus::BuildGauge()
                   .Name("grid_street_cases_overdue")
                   .Help("Open cases past their step's deadline per street now")
                   .Register(registry)),
      today_(prometheus::BuildGauge()
                 .Name("grid_street_case_events_today")
                 .Help("Case events per street on the current UTC day, by event"
                       " (satisfaction_points: the sum of today's evaluations, 1 to 5 each)")
                 .Register(registry)),
      pending_(prometheus::BuildGauge()
                   .Name("grid_case_figures_pending_changes")
                   .Help("Changes in grid's change log not yet counted in the live figures")
                   .Register(registry)
                   .Add({})) {}

void StreetCaseGauges::Set(const std::vector<StreetFigures>& streets, int64_t pending_changes) {
  absl::MutexLock lock(&mu_);
  pending_.Set(static_cast<double>(pending_changes));
  std::vector<std::string> seen;
  for (const StreetFigures& s : streets) {
    const std::string& street = s.street_path;
    seen.push_back(street);
    open_.Add({{"street", street}}).Set(static_cast<double>(SumOf(s.today, Measure::kOpen)));
    overdue_.Add({{"street", street}}).Set(static_cast<double>(SumOf(s.today, Measure::kOverdue)));
    for (const TodayFigure& f : kToday) {
      today_.Add({{"street", street}, {"event", f.event}})
          .Set(static_cast<double>(SumOf(s.today, f.measure)));
    }
  }
  // A street with no rows today (a new day, or moved away) reads 0, not
  // yesterday's value.
  for (const std::string& street : known_) {
    if (std::find(seen.begin(), seen.end(), street) != seen.end()) continue;
    open_.Add({{"street", street}}).Set(0);
    overdue_.Add({{"street", street}}).Set(0);
    for (const TodayFigure& f : kToday) today_.Add({{"street", street}, {"event", f.event}}).Set(0);
    seen.push_back(street);
  }
  known_ = std::move(seen);
}

}  // namespace grassroots::grid
