// Statement shapes: IN lists padded and inserts batched to powers of two.
#include "services/orgs/statement_shapes.h"

#include <gtest/gtest.h>

#include <numeric>

namespace grassroots::orgs {
namespace {

TEST(StatementShapesTest, ListsArePaddedToThePowerOfTwoAbove) {
  EXPECT_EQ(PaddedListSize(1), 1);
  EXPECT_EQ(PaddedListSize(2), 2);
  EXPECT_EQ(PaddedListSize(3), 4);
  EXPECT_EQ(PaddedListSize(1024), 1024);
  EXPECT_EQ(PaddedListSize(1025), 2048);
}

TEST(StatementShapesTest, BatchesArePowersOfTwoThatAddUp) {
  EXPECT_EQ(PowerOfTwoBatches(37), (std::vector<int>{32, 4, 1}));
  EXPECT_EQ(PowerOfTwoBatches(0), std::vector<int>{});
  EXPECT_EQ(PowerOfTwoBatches(64), std::vector<int>{64});
  for (int n = 0; n <= 2000; ++n) {
    auto batches = PowerOfTwoBatches(n);
    EXPECT_EQ(std::accumulate(batches.begin(), batches.end(), 0), n);
  }
}

}  // namespace
}  // namespace grassroots::orgs
