// Which MariaDB errors a transaction is retried after.
#include "common/db/sql_errors.h"

#include <gtest/gtest.h>

namespace grassroots::db {
namespace {

TEST(SqlErrorsTest, ConflictsTheServerAsksToRetryAreRetried) {
  EXPECT_TRUE(IsRetryableConflict(kDeadlock));
  EXPECT_TRUE(IsRetryableConflict(kLockWaitTimeout));
  // A snapshot older than a table just created by a migration.
  EXPECT_TRUE(IsRetryableConflict(kTableDefinitionChanged));
  EXPECT_FALSE(IsRetryableConflict(kDuplicateKey));
  EXPECT_FALSE(IsRetryableConflict(1146));  // no such table: waiting does not create it
  EXPECT_FALSE(IsConnectionError(kTableDefinitionChanged));
}

}  // namespace
}  // namespace grassroots::db
