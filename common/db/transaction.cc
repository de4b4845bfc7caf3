#include "common/db/transaction.h"

#include <cppconn/exception.h>

#include <exception>
#include <thread>

#include "common/db/sql_errors.h"
#include "common/status/errors.h"

namespace grassroots::db {
namespace {

void Backoff(int attempt) {
  std::this_thread::sleep_for(std::chrono::milliseconds(20 * (1 << std::min(attempt, 5))));
}

void RollbackQuietly(Lease& lease) {
  try {
    lease->Execute("ROLLBACK");
  } catch (const sql::SQLException&) {
    lease.MarkBroken();
  }
}

absl::Status Run(ConnectionPool& pool, TransactionBody body, TransactionOptions options,
                 bool write) {
  absl::Status last = absl::OkStatus();
  for (int attempt = 1; attempt <= options.max_attempts; ++attempt) {
    if (attempt > 1) {
      pool.RecordRetry();
      Backoff(attempt);
    }
    auto lease = pool.Acquire(write ? SessionMode::kTransactions : SessionMode::kAutocommit);
    if (!lease.ok()) {
      last = lease.status();
      if (absl::IsUnavailable(last)) continue;
      return last;
    }
    const absl::Time start = absl::Now();
    bool committing = false;
    int sql_error = 0;
    try {
      // The session has autocommit off: the body's first statement opens the
      // transaction. SET TRANSACTION applies to that next transaction.
      if (write && options.read_committed) {
        (*lease)->Execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
      }
      absl::Status status = body(**lease);
      if (!status.ok()) {
        auto code = SqlErrorCode(status);
        if (write) RollbackQuietly(*lease);
        pool.RecordTransaction(write, absl::Now() - start, false);
        if (code && (IsConnectionError(*code) || IsRetryableConflict(*code))) {
          if (IsConnectionError(*code)) {
            lease->MarkBroken();
            pool.NoteConnectionLost();
          }
          last = status;
          continue;
        }
        return status;
      }
      if (write) {
        committing = true;
        (*lease)->Execute("COMMIT");
      }
      pool.RecordTransaction(write, absl::Now() - start, true);
      return absl::OkStatus();
    } catch (const sql::SQLException& e) {
      sql_error = e.getErrorCode();
      last = FromSqlException(e);
    } catch (const std::exception& e) {
      if (write) RollbackQuietly(*lease);
      return absl::InternalError(e.what());
    }
    pool.RecordTransaction(write, absl::Now() - start, false);
    if (IsConnectionError(sql_error)) {
      lease->MarkBroken();
      pool.NoteConnectionLost();
      if (committing && !options.idempotent) {
        return Unavailable("COMMIT_OUTCOME_UNKNOWN",
                           "the database connection was lost while committing; the change may "
                           "or may not have been saved");
      }
      continue;
    }
    if (write) RollbackQuietly(*lease);
    if (IsRetryableConflict(sql_error)) continue;
    return last;
  }
  if (absl::IsUnavailable(last) || SqlErrorCode(last).has_value()) {
    if (SqlErrorCode(last) && IsRetryableConflict(*SqlErrorCode(last))) {
      return Aborted("TRANSACTION_CONFLICT", "the change conflicted with another; retry it");
    }
    return Unavailable("DATABASE_UNAVAILABLE", "the database is unavailable; retry shortly");
  }
  return last;
}

}  // namespace

absl::Status RunInTransaction(ConnectionPool& pool, TransactionBody body,
                              TransactionOptions options) {
  return Run(pool, body, options, /*write=*/true);
}

absl::Status RunReadOnly(ConnectionPool& pool, TransactionBody body) {
  return Run(pool, body, TransactionOptions{.idempotent = true}, /*write=*/false);
}

}  // namespace grassroots::db
