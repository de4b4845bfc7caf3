#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/server/service_env.h"
#include "services/grid/case_store.h"
#include "services/grid/whistle_store.h"

namespace grassroots::grid {

// Flags and escalates overdue cases, and flags departments that did not
// report in on a whistle in time, in the background, every `interval`, a
// batch at a time until none is due. Safe with several replicas sweeping
// one database: each due case is taken by one (CaseStore::EscalateOverdue).
class CaseSweeper {
 public:
  static constexpr char kActor[] = "grid:sweeper";

  CaseSweeper(const ServiceEnv& env, CaseStore& cases, WhistleStore& whistles,
              prometheus::Registry& registry, absl::Duration interval, int batch);
  ~CaseSweeper();

  void Start();
  void Stop();
  // Escalates everything due now and flags whistle calls not reported in
  // by their deadline; the number of cases escalated and calls flagged.
  absl::StatusOr<int> SweepOnce();

 private:
  const ServiceEnv& env_;
  CaseStore& cases_;
  WhistleStore& whistles_;
  prometheus::Counter& escalated_;
  prometheus::Counter& late_calls_;
  prometheus::Counter& failures_;
  const absl::Duration interval_;
  const int batch_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace grassroots::grid
