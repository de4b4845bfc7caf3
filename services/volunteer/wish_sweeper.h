#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "absl/time/time.h"
#include "common/server/background_loop.h"
#include "common/server/service_env.h"
#include "services/volunteer/wish_store.h"

namespace grassroots::volunteer {

// Lapses claims not fulfilled in time and expires or escalates wishes
// nobody claimed, in the background, every `interval`, a batch at a time
// until none is due; then refreshes the wishes-by-state gauge. Safe with
// several replicas on one database: each due wish is taken by one
// (WishStore::SweepDue skips locked rows). The clock is passed in so tests
// sweep at a time of their choosing.
class WishSweeper {
 public:
  static constexpr char kActor[] = "volunteer:sweeper";

  WishSweeper(const ServiceEnv& env, WishStore& wishes, const Clock& clock,
              prometheus::Registry& registry, absl::Duration interval, int batch);

  void Start() { loop_.Start(); }
  void Stop() { loop_.Stop(); }
  // Everything due now; the number of wishes moved.
  absl::StatusOr<int> SweepOnce();

 private:
  WishStore& wishes_;
  const Clock& clock_;
  prometheus::Counter& lapsed_;
  prometheus::Counter& escalated_;
  prometheus::Counter& expired_;
  prometheus::Counter& failures_;
  prometheus::Family<prometheus::Gauge>& by_state_;
  const int batch_;
  BackgroundLoop loop_;
};

}  // namespace grassroots::volunteer
