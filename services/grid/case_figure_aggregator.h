#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/server/service_env.h"
#include "services/grid/case_figure_store.h"
#include "services/grid/street_case_gauges.h"

namespace grassroots::grid {

// Keeps the live figures: reads grid's change log after the stored cursor,
// turns each case change into figure deltas (case_figure_rules.h) and each
// grid move into a move of its sums, and adds them with the new cursor in
// one transaction, so each change counts exactly once however many
// replicas aggregate (the cursor row's lock makes them take turns) and
// whatever crashes in between. Case writes never touch a figures row: the
// figures trail the writes by about one interval.
class CaseFigureAggregator {
 public:
  CaseFigureAggregator(const ServiceEnv& env, CaseFigureStore& store, StreetCaseGauges& gauges,
                       prometheus::Registry& registry, absl::Duration interval, int batch);
  ~CaseFigureAggregator();

  void Start();
  void Stop();
  // Counts everything sequenced now; the number of changes read.
  absl::StatusOr<int64_t> CatchUp();

 private:
  absl::StatusOr<int> AggregateBatch();

  const ServiceEnv& env_;
  CaseFigureStore& store_;
  StreetCaseGauges& gauges_;
  prometheus::Counter& failures_;
  const absl::Duration interval_;
  const int batch_;
  absl::Time gauges_refreshed_ = absl::InfinitePast();
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace grassroots::grid
