#pragma once

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "services/grid/case_figure_store.h"

namespace grassroots::grid {

// The live figures per street as Prometheus gauges, labelled by the
// street's path (no finer): open and overdue cases now, and today's events
// (UTC day). Every replica exports the same values, read from the shared
// figures: aggregate with max by (street), never sum.
class StreetCaseGauges {
 public:
  explicit StreetCaseGauges(prometheus::Registry& registry);

  void Set(const std::vector<StreetFigures>& streets, int64_t pending_changes);

 private:
  absl::Mutex mu_;
  prometheus::Family<prometheus::Gauge>& open_;
  prometheus::Family<prometheus::Gauge>& overdue_;
  prometheus::Family<prometheus::Gauge>& today_;
  prometheus::Gauge& pending_;
  std::vector<std::string> known_ ABSL_GUARDED_BY(mu_);
};

}  // namespace grassroots::grid
