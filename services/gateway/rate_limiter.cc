#include "services/gateway/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/hash/hash.h"

namespace grassroots::gateway {

std::optional<absl::Duration> RateLimiter::Admit(absl::string_view caller) {
  if (rate_ <= 0) return std::nullopt;
  Shard& shard = shards_[absl::HashOf(caller) % kShards];
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&shard.mu);
  if (shard.buckets.size() > kPruneAbove / kShards) {
    // A bucket untouched for burst/rate seconds is full: forgetting it
    // changes nothing.
    const absl::Duration refill = absl::Seconds(burst_ / rate_);
    absl::erase_if(shard.buckets,
                   [&](const auto& entry) { return now - entry.second.updated >= refill; });
  }
  auto [it, inserted] = shard.buckets.try_emplace(caller, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    const double elapsed =
        absl::ToDoubleSeconds(std::max(now - bucket.updated, absl::ZeroDuration()));
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.updated = std::max(now, bucket.updated);
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  return absl::Seconds((1.0 - bucket.tokens) / rate_);
}

}  // namespace grassroots::gateway
