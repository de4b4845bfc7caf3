#include "services/volunteer/wish_sweeper.h"

#include "services/volunteer/counters.h"
#include "services/volunteer/wish_rules.h"

namespace grassroots::volunteer {

WishSweeper::WishSweeper(const ServiceEnv& env, WishStore& wishes, const Clock& clock,
                         prometheus::Registry& registry, absl::Duration interval, int batch)
    : wishes_(wishes),
      clock_(clock),
      lapsed_(NewCounter(registry, "volunteer_wish_claims_lapsed_total",
                         "Claims of micro-wishes that ran out before being fulfilled")),
      escalated_(NewCounter(registry, "volunteer_wishes_escalated_total",
                            "Micro-wishes escalated to their street because nobody claimed them")),
      expired_(NewCounter(registry, "volunteer_wishes_expired_total",
                          "Micro-wishes that expired unclaimed")),
      failures_(NewCounter(registry, "volunteer_wish_sweep_failures_total",
                           "Sweeps of due micro-wishes that failed (retried next interval)")),
      by_state_(prometheus::BuildGauge()
                    .Name("volunteer_wishes")
                    .Help("Micro-wishes in each state, as of the last sweep")
                    .Register(registry)),
      batch_(batch),
      loop_(*env.log, "sweep due micro-wishes", failures_, interval,
            [this] { return SweepOnce().status(); }) {}

absl::StatusOr<int> WishSweeper::SweepOnce() {
  int total = 0;
  while (true) {
    auto swept = wishes_.SweepDue(WriteContext{kActor, "", clock_.Now()}, batch_);
    if (!swept.ok()) return swept.status();
    for (const SweptWish& s : *swept) {
      if (s.before == v1::WISH_CLAIMED) lapsed_.Increment();
      if (s.after.state() == v1::WISH_ESCALATED && s.before == v1::WISH_PUBLISHED) {
        escalated_.Increment();
      }
      if (s.after.state() == v1::WISH_EXPIRED) expired_.Increment();
    }
    total += static_cast<int>(swept->size());
    if (static_cast<int>(swept->size()) < batch_) break;
  }
  auto counts = wishes_.CountByState();
  if (!counts.ok()) return counts.status();
  // States no wish is in any more read zero, not their last count.
  for (int state = v1::WISH_COLLECTED; state <= v1::WISH_ESCALATED; ++state) {
    by_state_.Add({{"state", WishStateName(static_cast<v1::WishState>(state))}}).Set(0);
  }
  for (const auto& [state, n] : *counts) {
    by_state_.Add({{"state", WishStateName(state)}}).Set(static_cast<double>(n));
  }
  return total;
}

}  // namespace grassroots::volunteer
