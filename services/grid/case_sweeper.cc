#include "services/grid/case_sweeper.h"

namespace grassroots::grid {

CaseSweeper::CaseSweeper(const ServiceEnv& env, CaseStore& cases, WhistleStore& whistles,
                         prometheus::Registry& registry, absl::Duration interval, int batch)
    : env_(env),
      cases_(cases),
      whistles_(whistles),
      escalated_(prometheus::BuildCounter()
                     .Name("grid_cases_escalated_total")
                     .Help("Cases escalated because a step's deadline passed")
                     .Register(registry)
                     .Add({})),
      late_calls_(prometheus::BuildCounter()
                      .Name("grid_whistle_calls_late_total")
                      .Help("Departments that did not report in on a whistle by its deadline")
                      .Register(registry)
                      .Add({})),
      failures_(prometheus::BuildCounter()
                    .Name("grid_case_sweep_failures_total")
                    .Help("Sweeps of overdue cases that failed (retried next interval)")
                    .Register(registry)
                    .Add({})),
      interval_(interval),
      batch_(batch) {}

CaseSweeper::~CaseSweeper() { Stop(); }

absl::StatusOr<int> CaseSweeper::SweepOnce() {
  int total = 0;
  while (true) {
    auto n = cases_.EscalateOverdue(WriteContext{kActor, "", env_.clock->Now()}, batch_);
    if (!n.ok()) return n.status();
    total += *n;
    escalated_.Increment(*n);
    if (*n < batch_) break;
  }
  while (true) {
    auto n = whistles_.FlagLateCalls(WriteContext{kActor, "", env_.clock->Now()}, batch_);
    if (!n.ok()) return n.status();
    total += *n;
    late_calls_.Increment(*n);
    if (*n < batch_) return total;
  }
}

void CaseSweeper::Start() {
  if (stop_.HasBeenNotified() || thread_.joinable()) return;
  thread_ = std::thread([this] {
    bool failing = false;
    do {
      auto swept = SweepOnce();
      if (!swept.ok()) {
        failures_.Increment();
        if (!failing) {
          env_.log->Warn("cannot sweep overdue cases; retrying",
                         {{"error", swept.status().ToString()}});
        }
      } else if (failing) {
        env_.log->Info("sweeping overdue cases again");
      }
      failing = !swept.ok();
    } while (!stop_.WaitForNotificationWithTimeout(interval_));
  });
}

void CaseSweeper::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace grassroots::grid
