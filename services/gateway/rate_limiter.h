#pragma once

#include <array>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/time/clock.h"

namespace grassroots::gateway {

// A token bucket per caller: `rate` calls a second on average, bursts of up
// to `burst`. Admit answers at once; a refusal says how long until the next
// call would be admitted (the Retry-After a caller is given). Callers are
// spread over independently locked shards so concurrent callers rarely
// contend. A rate of 0 admits everything.
class RateLimiter {
 public:
  RateLimiter(double rate_per_second, double burst, const Clock& clock)
      : rate_(rate_per_second), burst_(burst), clock_(clock) {}

  // nullopt when admitted; otherwise the wait before a call would be.
  std::optional<absl::Duration> Admit(absl::string_view caller);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, Bucket> buckets ABSL_GUARDED_BY(mu);
  };
  static constexpr size_t kShards = 16;
  // Above this many buckets, buckets idle long enough to be full again are
  // dropped, so the maps hold only recent callers.
  static constexpr size_t kPruneAbove = 50000;

  const double rate_;
  const double burst_;
  const Clock& clock_;
  std::array<Shard, kShards> shards_;
};

}  // namespace grassroots::gateway
