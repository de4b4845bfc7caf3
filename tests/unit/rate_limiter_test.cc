#include "services/gateway/rate_limiter.h"

#include <gtest/gtest.h>

namespace grassroots::gateway {
namespace {

TEST(RateLimiterTest, BurstThenRateThenRecovery) {
  ManualClock clock(absl::FromUnixSeconds(1000));
  RateLimiter limiter(/*rate_per_second=*/10, /*burst=*/5, clock);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.Admit("app").has_value()) << i;
  auto wait = limiter.Admit("app");
  ASSERT_TRUE(wait.has_value());
  EXPECT_NEAR(absl::ToDoubleSeconds(*wait), 0.1, 1e-6);
  // Another caller has its own bucket.
  EXPECT_FALSE(limiter.Admit("other").has_value());
  clock.Advance(absl::Milliseconds(100));
  EXPECT_FALSE(limiter.Admit("app").has_value());
  EXPECT_TRUE(limiter.Admit("app").has_value());
  // A long pause refills to the burst, no further.
  clock.Advance(absl::Hours(1));
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.Admit("app").has_value()) << i;
  EXPECT_TRUE(limiter.Admit("app").has_value());
}

TEST(RateLimiterTest, ZeroRateAdmitsEverything) {
  ManualClock clock(absl::FromUnixSeconds(1000));
  RateLimiter limiter(0, 0, clock);
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(limiter.Admit("app").has_value());
}

TEST(RateLimiterTest, ManyCallersStayBounded) {
  ManualClock clock(absl::FromUnixSeconds(1000));
  RateLimiter limiter(100, 10, clock);
  for (int i = 0; i < 120000; ++i) {
    if (i % 1000 == 0) clock.Advance(absl::Seconds(1));
    EXPECT_FALSE(limiter.Admit(std::to_string(i)).has_value());
  }
  // Still limits a busy caller after pruning.
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(limiter.Admit("busy").has_value());
  EXPECT_TRUE(limiter.Admit("busy").has_value());
}

}  // namespace
}  // namespace grassroots::gateway
