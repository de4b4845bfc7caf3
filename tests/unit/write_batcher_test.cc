#include "common/server/write_batcher.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <stdexcept>
#include <vector>

#include "absl/synchronization/notification.h"

namespace grassroots {
namespace {

// Batchers on a real worker pool, their batch sizes recorded.
class WriteBatcherTest : public ::testing::Test {
 protected:
  WriteBatcherTest() : workers_(2, 100, registry_), metrics_(registry_) {
    env_.workers = &workers_;
    env_.write_batches = &metrics_;
  }

  // Sizes of the batches write_many saw, and each answer in the order given.
  struct Seen {
    std::vector<int> batch_sizes;
    std::vector<absl::StatusOr<int>> answers;
  };

  // Submits requests 0..9 to a batcher of one flusher whose write (each
  // request times 10) is held at its first batch until 1..9 are queued.
  Seen SubmitTenBehindAHeldCommit(const std::string& write, int max_batch) {
    absl::Notification first_entered, release, all_answered;
    absl::Mutex mu;
    Seen seen;
    {
      WriteBatcher<int, int> batcher(
          env_, write,
          [&](std::vector<int>& requests) {
            {
              absl::MutexLock lock(&mu);
              seen.batch_sizes.push_back(static_cast<int>(requests.size()));
            }
            if (!first_entered.HasBeenNotified()) {
              first_entered.Notify();
              release.WaitForNotification();
            }
            std::vector<absl::StatusOr<int>> results;
            for (int r : requests) results.push_back(r * 10);
            return results;
          },
          max_batch, /*max_flushers=*/1);
      auto done = [&](absl::StatusOr<int> result) {
        absl::MutexLock lock(&mu);
        seen.answers.push_back(std::move(result));
        if (seen.answers.size() == 10) all_answered.Notify();
      };
      batcher.Submit(0, done);
      first_entered.WaitForNotification();
      for (int i = 1; i < 10; ++i) batcher.Submit(i, done);
      release.Notify();
      all_answered.WaitForNotification();
    }
    absl::MutexLock lock(&mu);
    return seen;
  }

  prometheus::ClientMetric::Histogram Recorded(const std::string& write) {
    return metrics_.For(write).Collect().histogram;
  }

  prometheus::Registry registry_;
  WorkerPool workers_;
  WriteBatchMetrics metrics_;
  ServiceEnv env_;
};

TEST_F(WriteBatcherTest, WritesQueuedBehindABusyCommitShareTheNextOne) {
  Seen seen = SubmitTenBehindAHeldCommit("test_write", 64);
  EXPECT_EQ(seen.batch_sizes, (std::vector<int>{1, 9}));
  ASSERT_EQ(seen.answers.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(seen.answers[static_cast<size_t>(i)].ok());
    EXPECT_EQ(*seen.answers[static_cast<size_t>(i)], i * 10) << "request " << i;
  }
  auto recorded = Recorded("test_write");
  EXPECT_EQ(recorded.sample_count, 2u);
  EXPECT_DOUBLE_EQ(recorded.sample_sum, 10);
}

TEST_F(WriteBatcherTest, ABatchNeverExceedsItsLimit) {
  Seen seen = SubmitTenBehindAHeldCommit("limited", 4);
  EXPECT_EQ(seen.batch_sizes, (std::vector<int>{1, 4, 4, 1}));
  EXPECT_EQ(seen.answers.size(), 10u);
  EXPECT_EQ(Recorded("limited").sample_count, 4u);
}

// A write that throws fails its own batch only, each caller told why.
TEST_F(WriteBatcherTest, AThrowingWriteAnswersEveryRequestOfItsBatchWithTheError) {
  absl::Notification answered;
  WriteBatcher<int, int> batcher(env_, "throwing",
                                 [](std::vector<int>&) -> std::vector<absl::StatusOr<int>> {
                                   throw std::runtime_error("the connection was lost");
                                 });
  absl::Status status;
  batcher.Submit(1, [&](absl::StatusOr<int> result) {
    status = result.status();
    answered.Notify();
  });
  answered.WaitForNotification();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message(), "the connection was lost");
}

TEST_F(WriteBatcherTest, RecordsNothingWithoutMetrics) {
  env_.write_batches = nullptr;
  absl::Notification answered;
  WriteBatcher<int, int> batcher(env_, "unrecorded", [](std::vector<int>& requests) {
    return std::vector<absl::StatusOr<int>>(requests.begin(), requests.end());
  });
  batcher.Submit(7, [&](absl::StatusOr<int> result) {
    EXPECT_EQ(*result, 7);
    answered.Notify();
  });
  answered.WaitForNotification();
  EXPECT_EQ(Recorded("unrecorded").sample_count, 0u);
}

}  // namespace
}  // namespace grassroots
