#include "services/grid/case_figure_aggregator.h"

#include "common/db/transaction.h"
#include "common/time/proto_time.h"
#include "grassroots/grid/v1/case.pb.h"
#include "grassroots/grid/v1/grid.pb.h"
#include "services/grid/visit_report_rules.h"

namespace grassroots::grid {
namespace {

// How often the street gauges are read again while changes keep coming.
constexpr absl::Duration kGaugeInterval = absl::Seconds(10);

}  // namespace

CaseFigureAggregator::CaseFigureAggregator(const ServiceEnv& env, CaseFigureStore& store,
                                           StreetCaseGauges& gauges, prometheus::Registry& registry,
                                           absl::Duration interval, int batch)
    : env_(env),
      store_(store),
      gauges_(gauges),
      failures_(prometheus::BuildCounter()
                    .Name("grid_case_figures_failures_total")
                    .Help("Rounds of the live figures' aggregation that failed (retried)")
                    .Register(registry)
                    .Add({})),
      interval_(interval),
      batch_(batch) {}

CaseFigureAggregator::~CaseFigureAggregator() { Stop(); }

absl::StatusOr<int> CaseFigureAggregator::AggregateBatch() {
  int read = 0;
  absl::Status status = db::RunInTransaction(*env_.pool, [&](db::Connection& c) -> absl::Status {
    read = 0;
    const int64_t cursor = CaseFigureStore::LockCursor(c);
    const std::vector<common::v1::Change> changes = env_.changes->Read(c, cursor, batch_, "");
    if (changes.empty()) return absl::OkStatus();
    FigureRows rows;
    for (const common::v1::Change& change : changes) {
      if (change.resource_type() == v1::Grid::descriptor()->full_name() &&
          change.action() == common::v1::Change::MOVED) {
        v1::Grid before;
        v1::Grid after;
        if (change.before().UnpackTo(&before) && change.after().UnpackTo(&after)) {
          // What is summed so far first, so the move lands on the sums in order.
          CaseFigureStore::Add(c, rows);
          rows.clear();
          CaseFigureStore::MoveGrid(c, before.path(), after.path());
        }
        continue;
      }
      if (change.resource_type() != v1::Case::descriptor()->full_name()) continue;
      v1::Case after;
      if (!change.after().UnpackTo(&after)) continue;
      v1::Case before;
      const bool has_before = change.has_before() && change.before().UnpackTo(&before);
      for (const FigureDelta& delta : CaseFigureDeltas(has_before ? &before : nullptr, after,
                                                       FromProtoTime(change.commit_time()))) {
        AddToRows(delta, +1, /*from_level=*/0, rows);
      }
    }
    CaseFigureStore::Add(c, rows);
    CaseFigureStore::SaveCursor(c, changes.back().sequence());
    read = static_cast<int>(changes.size());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return read;
}

absl::StatusOr<int64_t> CaseFigureAggregator::CatchUp() {
  int64_t total = 0;
  while (true) {
    auto n = AggregateBatch();
    if (!n.ok()) return n.status();
    total += *n;
    if (*n < batch_) break;
  }
  const absl::Time now = env_.clock->Now();
  if (total > 0 || now - gauges_refreshed_ >= kGaugeInterval) {
    auto streets = store_.Streets(UtcDay(now));
    auto pending = store_.PendingChanges();
    if (streets.ok() && pending.ok()) {
      gauges_.Set(*streets, *pending);
      gauges_refreshed_ = now;
    }
  }
  return total;
}

void CaseFigureAggregator::Start() {
  if (stop_.HasBeenNotified() || thread_.joinable()) return;
  thread_ = std::thread([this] {
    bool failing = false;
    do {
      auto counted = CatchUp();
      if (!counted.ok()) {
        failures_.Increment();
        if (!failing) {
          env_.log->Warn("cannot count case changes into the live figures; retrying",
                         {{"error", counted.status().ToString()}});
        }
      } else if (failing) {
        env_.log->Info("counting case changes into the live figures again");
      }
      failing = !counted.ok();
    } while (!stop_.WaitForNotificationWithTimeout(interval_));
  });
}

void CaseFigureAggregator::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace grassroots::grid
