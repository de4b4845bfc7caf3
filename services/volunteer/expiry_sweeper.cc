#include "services/volunteer/expiry_sweeper.h"

#include "services/volunteer/counters.h"
#include "services/volunteer/expiry_handler.h"

namespace grassroots::volunteer {

ExpirySweeper::ExpirySweeper(const ServiceEnv& env, ExpiryStore& store, const Clock& clock,
                             BusinessMetrics& metrics, prometheus::Registry& registry,
                             absl::Duration interval)
    : store_(store),
      clock_(clock),
      metrics_(metrics),
      failures_(NewCounter(registry, "volunteer_points_expiry_failures_total",
                           "Runs of points expiry that failed (retried next interval)")),
      loop_(*env.log, "expire old points", failures_, interval,
            [this] { return SweepOnce().status(); }) {}

absl::StatusOr<v1::ExpirePointsResponse> ExpirySweeper::SweepOnce() {
  const absl::Time now = clock_.Now();
  return RunExpiry(store_, metrics_, "", WriteContext{kActor, "", now},
                   absl::ToCivilDay(now, absl::UTCTimeZone()));
}

}  // namespace grassroots::volunteer
