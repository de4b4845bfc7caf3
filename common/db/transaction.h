#pragma once

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "common/db/connection_pool.h"

namespace grassroots::db {

struct TransactionOptions {
  // The body is safe to apply twice (it carries a request id the database
  // deduplicates), so a commit whose outcome is unknown is simply retried.
  bool idempotent = false;
  int max_attempts = 5;
  // READ COMMITTED instead of REPEATABLE READ: no gap locks, and UPDATEs skip
  // rows other transactions are still writing (semi-consistent reads).
  bool read_committed = false;
};

using TransactionBody = absl::FunctionRef<absl::Status(Connection&)>;

// Runs `body` in one transaction and commits when it returns OK; any error
// rolls everything back. Deadlocks, lock wait timeouts and lost connections
// before COMMIT are retried from the start on a fresh session. A connection
// lost during COMMIT leaves the outcome unknown: UNAVAILABLE with reason
// COMMIT_OUTCOME_UNKNOWN unless the body is idempotent. The body may throw
// sql::SQLException or return a Status built by FromSqlException.
absl::Status RunInTransaction(ConnectionPool& pool, TransactionBody body,
                              TransactionOptions options = {});

// Reads outside an explicit transaction (each statement sees committed data
// as of its start); retried on lost connections.
absl::Status RunReadOnly(ConnectionPool& pool, TransactionBody body);

}  // namespace grassroots::db
