#include "services/grid/case_figure_rules.h"

#include <algorithm>
#include <iterator>

#include "common/time/proto_time.h"
#include "services/grid/case_transitions.h"
#include "services/grid/visit_report_rules.h"

namespace grassroots::grid {
namespace {

using State = v1::Case::State;

int M(Measure m) { return static_cast<int>(m); }

class DeltaList {
 public:
  explicit DeltaList(absl::CivilDay day) : day_(day) {}

  void Flow(FigureDimension dimension, const std::string& subject, const std::string& grid_path,
            Measure measure, int64_t value) {
    FlowRaw(dimension, subject, grid_path, M(measure), value);
  }
  void FlowRaw(FigureDimension dimension, const std::string& subject, const std::string& grid_path,
               int measure, int64_t value) {
    if (value == 0) return;
    out_.push_back(FigureDelta{dimension, subject, grid_path, measure, value, day_});
  }
  void Stock(FigureDimension dimension, const std::string& subject, const std::string& grid_path,
             Measure measure, int64_t value) {
    if (value == 0) return;
    out_.push_back(FigureDelta{dimension, subject, grid_path, M(measure), value, std::nullopt});
  }
  std::vector<FigureDelta> Take() { return std::move(out_); }
  void Append(std::vector<FigureDelta> more) {
    out_.insert(out_.end(), std::make_move_iterator(more.begin()),
                std::make_move_iterator(more.end()));
  }

 private:
  absl::CivilDay day_;
  std::vector<FigureDelta> out_;
};

// A flow counted for the case's grid (and areas above) and, when it has
// one, its department.
void AreaAndDepartment(DeltaList& out, const v1::Case& c, Measure measure, int64_t value) {
  out.Flow(FigureDimension::kArea, "", c.grid_path(), measure, value);
  if (!c.department_id().empty()) {
    out.Flow(FigureDimension::kDepartment, c.department_id(), c.grid_path(), measure, value);
  }
}

// A collector's figure: the case's, and its reporter's when a grid worker reported it.
void AreaAndCollector(DeltaList& out, const v1::Case& c, Measure measure) {
  out.Flow(FigureDimension::kArea, "", c.grid_path(), measure, 1);
  if (c.source() == v1::Case::GRID_WORKER && !c.reporter_ref().empty()) {
    out.Flow(FigureDimension::kWorker, c.reporter_ref(), c.grid_path(), measure, 1);
  }
}

// Open and overdue are what the case is now: the change takes the case's
// old share away where it was and adds its new share where it is.
void StockShare(DeltaList& out, const v1::Case& c, int sign) {
  if (!IsOpen(c.state())) return;
  const int overdue = c.overdue() ? sign : 0;
  out.Stock(FigureDimension::kArea, "", c.grid_path(), Measure::kOpen, sign);
  out.Stock(FigureDimension::kArea, "", c.grid_path(), Measure::kOverdue, overdue);
  if (!c.department_id().empty()) {
    out.Stock(FigureDimension::kDepartment, c.department_id(), c.grid_path(), Measure::kOpen, sign);
    out.Stock(FigureDimension::kDepartment, c.department_id(), c.grid_path(), Measure::kOverdue,
              overdue);
  }
}

// A figure of the case's outcome that also counts for the grid worker who
// collected it: careers' annual assessment reads a worker's closed, on-time
// and rated cases from these.
void CollectorOutcome(DeltaList& out, const v1::Case& c, Measure measure, int64_t value) {
  if (c.source() == v1::Case::GRID_WORKER && !c.reporter_ref().empty()) {
    out.Flow(FigureDimension::kWorker, c.reporter_ref(), c.grid_path(), measure, value);
  }
}

void Closure(DeltaList& out, const v1::Case& c) {
  const bool deferred = c.extension_count() > 0;
  // Escalation is what a missed deadline does, so a case still at the
  // community level and not overdue kept every deadline.
  const bool on_time = !deferred && c.level() == v1::Case::COMMUNITY && !c.overdue();
  AreaAndDepartment(out, c, Measure::kClosed, 1);
  AreaAndDepartment(out, c, Measure::kClosedOnTime, on_time ? 1 : 0);
  CollectorOutcome(out, c, Measure::kClosed, 1);
  CollectorOutcome(out, c, Measure::kClosedOnTime, on_time ? 1 : 0);
  CollectorOutcome(out, c, Measure::kClosedDeferred, deferred ? 1 : 0);
  AreaAndDepartment(out, c, Measure::kClosedDeferred, deferred ? 1 : 0);
  AreaAndDepartment(out, c, Measure::kClosedReworked, c.rework_count() > 0 ? 1 : 0);
  switch (c.level()) {
    case v1::Case::STREET:
      AreaAndDepartment(out, c, Measure::kClosedAtStreet, 1);
      break;
    case v1::Case::DISTRICT:
      AreaAndDepartment(out, c, Measure::kClosedAtDistrict, 1);
      break;
    default:
      AreaAndDepartment(out, c, Measure::kClosedAtCommunity, 1);
      break;
  }
}

// A case imported in the state an earlier system left it in: the steps it
// took there count once, registration, dispatch and rework on its create
// day (in `out`), its end (rejected, closed, evaluated) on its close day.
// The time it spent in each state is not known, so none is counted.
void ImportedHistory(DeltaList& out, const v1::Case& c) {
  const State state = c.state();
  if (state != v1::Case::REJECTED) AreaAndCollector(out, c, Measure::kRegistered);
  if (state >= v1::Case::DISPATCHED && state <= v1::Case::EVALUATED) {
    AreaAndDepartment(out, c, Measure::kDispatched, 1);
  }
  AreaAndDepartment(out, c, Measure::kReworkEvents, c.rework_count());
  if (!c.has_close_time()) return;
  DeltaList closed(UtcDay(FromProtoTime(c.close_time())));
  if (state == v1::Case::REJECTED) AreaAndCollector(closed, c, Measure::kRejected);
  if (state == v1::Case::CLOSED || state == v1::Case::EVALUATED) Closure(closed, c);
  if (state == v1::Case::EVALUATED && c.satisfaction() > 0) {
    AreaAndDepartment(closed, c, Measure::kEvaluated, 1);
    AreaAndDepartment(closed, c, Measure::kSatisfactionSum, c.satisfaction());
    CollectorOutcome(closed, c, Measure::kEvaluated, 1);
    CollectorOutcome(closed, c, Measure::kSatisfactionSum, c.satisfaction());
  }
  out.Append(closed.Take());
}

double Ratio(int64_t numerator, int64_t denominator) {
  return denominator <= 0 ? 0.0 : static_cast<double>(numerator) / denominator;
}

int64_t Sum(const MeasureSums& sums, Measure m) {
  auto it = sums.find(M(m));
  return it == sums.end() ? 0 : it->second;
}

}  // namespace

bool IsStock(int measure) {
  return measure == M(Measure::kOpen) || measure == M(Measure::kOverdue);
}

std::vector<FigureDelta> CaseFigureDeltas(const v1::Case* before, const v1::Case& after,
                                          absl::Time time) {
  if (before == nullptr) {
    // Counted on the case's own create day: an imported case's is the
    // earlier system's.
    DeltaList out(UtcDay(after.has_create_time() ? FromProtoTime(after.create_time()) : time));
    AreaAndCollector(out, after, Measure::kReported);
    if (after.state() != v1::Case::REPORTED) ImportedHistory(out, after);
    StockShare(out, after, +1);
    return out.Take();
  }
  DeltaList out(UtcDay(time));
  const v1::Case& b = *before;
  const State from = b.state();
  const State to = after.state();
  out.Flow(FigureDimension::kArea, "", after.grid_path(), Measure::kDuplicateReports,
           std::max(0, after.duplicate_reports() - b.duplicate_reports()));
  if (b.has_update_time()) {
    // The time since the last step is time spent in the state it left the case in.
    const int64_t seconds =
        std::max<int64_t>(0, absl::ToInt64Seconds(time - FromProtoTime(b.update_time())));
    const int state_measure = M(Measure::kSecondsInStateBase) + from;
    out.FlowRaw(FigureDimension::kArea, "", b.grid_path(), state_measure, seconds);
    if (!b.department_id().empty()) {
      out.FlowRaw(FigureDimension::kDepartment, b.department_id(), b.grid_path(), state_measure,
                  seconds);
    }
  }
  if (from != to) {
    const int departures = M(Measure::kDeparturesBase) + from;
    out.FlowRaw(FigureDimension::kArea, "", b.grid_path(), departures, 1);
    if (!b.department_id().empty()) {
      out.FlowRaw(FigureDimension::kDepartment, b.department_id(), b.grid_path(), departures, 1);
    }
    if (from == v1::Case::REPORTED && to == v1::Case::REGISTERED) {
      AreaAndCollector(out, after, Measure::kRegistered);
    }
    if (to == v1::Case::REJECTED) AreaAndCollector(out, after, Measure::kRejected);
    if (to == v1::Case::DISPATCHED) AreaAndDepartment(out, after, Measure::kDispatched, 1);
    if (to == v1::Case::CLOSED) Closure(out, after);
  }
  const int reworks = after.rework_count() - b.rework_count();
  if (reworks > 0) AreaAndDepartment(out, after, Measure::kReworkEvents, reworks);
  // The reporter's answer on a closed case, whether it closes the case for
  // good or reopens it as not fixed.
  const bool evaluated = from == v1::Case::CLOSED && (to == v1::Case::EVALUATED || reworks > 0) &&
                         after.satisfaction() > 0;
  if (evaluated) {
    AreaAndDepartment(out, after, Measure::kEvaluated, 1);
    AreaAndDepartment(out, after, Measure::kSatisfactionSum, after.satisfaction());
    CollectorOutcome(out, after, Measure::kEvaluated, 1);
    CollectorOutcome(out, after, Measure::kSatisfactionSum, after.satisfaction());
  }
  StockShare(out, b, -1);
  StockShare(out, after, +1);
  return out.Take();
}

std::vector<AreaLevel> AreaLevelsOf(absl::string_view grid_path) {
  std::vector<AreaLevel> levels;
  std::string path(grid_path);
  int level = 0;
  while (true) {
    const size_t slash = path.rfind('/');
    std::string parent = slash == std::string::npos ? "" : path.substr(0, slash);
    levels.push_back(AreaLevel{path, parent, level++});
    if (path.empty()) break;
    path = std::move(parent);
  }
  return levels;
}

void AddToRows(const FigureDelta& delta, int64_t sign, int from_level, FigureRows& rows) {
  const std::string day = delta.day ? absl::FormatCivilTime(*delta.day) : kStockDay;
  for (const AreaLevel& area : AreaLevelsOf(delta.grid_path)) {
    if (area.level < from_level) continue;
    FigureRowKey key{static_cast<int>(delta.dimension), area.path, delta.subject, day,
                     delta.measure};
    FigureRowValue& value = rows[std::move(key)];
    value.parent = area.parent;
    value.level = area.level;
    value.value += sign * delta.value;
  }
}

v1::CaseFigures DeriveCaseFigures(const std::string& key, const MeasureSums& sums,
                                  const std::optional<DepartmentRatings>& ratings) {
  v1::CaseFigures f;
  f.set_key(key);
  f.set_reported(Sum(sums, Measure::kReported));
  f.set_duplicate_reports(Sum(sums, Measure::kDuplicateReports));
  f.set_registered(Sum(sums, Measure::kRegistered));
  f.set_rejected(Sum(sums, Measure::kRejected));
  f.set_dispatched(Sum(sums, Measure::kDispatched));
  f.set_closed(Sum(sums, Measure::kClosed));
  f.set_closed_on_time(Sum(sums, Measure::kClosedOnTime));
  f.set_closed_deferred(Sum(sums, Measure::kClosedDeferred));
  f.set_closed_reworked(Sum(sums, Measure::kClosedReworked));
  f.set_closed_at_community(Sum(sums, Measure::kClosedAtCommunity));
  f.set_closed_at_street(Sum(sums, Measure::kClosedAtStreet));
  f.set_closed_at_district(Sum(sums, Measure::kClosedAtDistrict));
  f.set_rework_events(Sum(sums, Measure::kReworkEvents));
  f.set_evaluated(Sum(sums, Measure::kEvaluated));
  f.set_open(Sum(sums, Measure::kOpen));
  f.set_overdue(Sum(sums, Measure::kOverdue));
  f.set_closure_rate(Ratio(f.closed(), f.registered()));
  f.set_on_time_closure_rate(Ratio(f.closed_on_time(), f.closed() - f.closed_deferred()));
  f.set_rework_rate(Ratio(f.closed_reworked(), f.closed()));
  f.set_extension_rate(Ratio(f.closed_deferred(), f.closed()));
  f.set_community_closure_share(Ratio(f.closed_at_community(), f.closed()));
  f.set_street_closure_share(Ratio(f.closed_at_street(), f.closed()));
  f.set_valid_report_rate(Ratio(f.registered(), f.registered() + f.rejected()));
  f.set_mean_satisfaction(Ratio(Sum(sums, Measure::kSatisfactionSum), f.evaluated()));
  for (int state = v1::Case::State_MIN; state <= v1::Case::State_MAX; ++state) {
    auto departures = sums.find(M(Measure::kDeparturesBase) + state);
    if (departures == sums.end() || departures->second <= 0) continue;
    // No seconds row: every stay was shorter than a second.
    (*f.mutable_mean_seconds_in_state())[std::string(StateName(static_cast<State>(state)))] =
        Ratio(Sum(sums, static_cast<Measure>(M(Measure::kSecondsInStateBase) + state)),
              departures->second);
  }
  if (ratings) {
    f.set_department_score(DepartmentScore(f));
    f.set_street_ratings(ratings->count);
    f.set_mean_street_rating(ratings->count == 0 ? 0.0 : ratings->score_sum / ratings->count);
  }
  return f;
}

double DepartmentScore(const v1::CaseFigures& f) {
  const double satisfaction_share = f.evaluated() == 0 ? 1.0 : f.mean_satisfaction() / 5.0;
  return 100.0 * (0.4 * f.on_time_closure_rate() + 0.3 * (1.0 - f.rework_rate()) +
                  0.3 * satisfaction_share);
}

}  // namespace grassroots::grid
