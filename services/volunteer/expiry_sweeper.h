#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/server/background_loop.h"
#include "common/server/service_env.h"
#include "grassroots/volunteer/v1/expiry.pb.h"
#include "services/volunteer/business_metrics.h"
#include "services/volunteer/expiry_store.h"

namespace grassroots::volunteer {

// Expires points as of today (the clock's UTC day) every `interval`,
// city-wide. Replicas running it at once are safe: each account's expiry
// is one transfer under an id derived from the account and the cutoff, and
// the sums are taken under the account's lock.
class ExpirySweeper {
 public:
  static constexpr char kActor[] = "volunteer:expiry";

  ExpirySweeper(const ServiceEnv& env, ExpiryStore& store, const Clock& clock,
                BusinessMetrics& metrics, prometheus::Registry& registry, absl::Duration interval);

  void Start() { loop_.Start(); }
  void Stop() { loop_.Stop(); }
  absl::StatusOr<v1::ExpirePointsResponse> SweepOnce();

 private:
  ExpiryStore& store_;
  const Clock& clock_;
  BusinessMetrics& metrics_;
  prometheus::Counter& failures_;
  BackgroundLoop loop_;
};

}  // namespace grassroots::volunteer
