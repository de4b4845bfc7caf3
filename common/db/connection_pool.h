#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db/connection.h"

namespace grassroots::db {

struct DbOptions {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string user;
  std::string password;
  std::string schema;
  int pool_size = 8;
  absl::Duration connect_timeout = absl::Seconds(2);
  absl::Duration read_timeout = absl::Seconds(30);
  // How long a caller waits for a free connection before RESOURCE_EXHAUSTED.
  absl::Duration acquire_timeout = absl::Seconds(5);
  // Idle sessions older than this are pinged before use.
  absl::Duration validate_after_idle = absl::Seconds(30);
};

class ConnectionPool;

// What a borrower will do with a session. kAutocommit sessions run each
// statement as its own transaction (reads, DDL, locks); kTransactions
// sessions have autocommit off and must end every unit of work with COMMIT
// or ROLLBACK (the transaction helper does).
enum class SessionMode { kAutocommit, kTransactions };

// A connection borrowed from the pool; given back when the lease ends. A
// lease marked broken is closed instead, so a dead session is never reused.
class Lease {
 public:
  Lease(ConnectionPool* pool, std::unique_ptr<Connection> connection)
      : pool_(pool), connection_(std::move(connection)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  Connection* operator->() { return connection_.get(); }
  Connection& operator*() { return *connection_; }
  void MarkBroken() { broken_ = true; }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<Connection> connection_;
  bool broken_ = false;
};

// A bounded pool of MariaDB sessions that heals itself: when any session
// reports a lost connection, every idle session is re-validated before its
// next use, so the pool recovers on its own after a server restart.
class ConnectionPool {
 public:
  ConnectionPool(DbOptions options, prometheus::Registry& registry);
  ~ConnectionPool();

  // UNAVAILABLE when the server cannot be reached, RESOURCE_EXHAUSTED when
  // every connection stays busy for acquire_timeout.
  absl::StatusOr<Lease> Acquire(SessionMode mode = SessionMode::kAutocommit);

  // Called when a statement failed with a connection error.
  void NoteConnectionLost();

  // Recorded by the transaction helpers (transaction.h).
  void RecordTransaction(bool write, absl::Duration took, bool committed);
  void RecordRetry() { retried_total_.Increment(); }

 private:
  friend class Lease;
  void CloseIdle();
  void Release(std::unique_ptr<Connection> connection, bool broken);
  absl::StatusOr<std::unique_ptr<Connection>> Open();
  bool Healthy(Connection& connection);

  const DbOptions options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_count_ ABSL_GUARDED_BY(mu_) = 0;
  std::atomic<uint64_t> generation_{1};

  prometheus::Gauge& in_use_gauge_;
  prometheus::Gauge& idle_gauge_;
  prometheus::Gauge& max_gauge_;
  prometheus::Counter& opened_total_;
  prometheus::Counter& lost_total_;
  prometheus::Counter& exhausted_total_;
  prometheus::Histogram& acquire_seconds_;
  prometheus::Counter& retried_total_;
  prometheus::Family<prometheus::Histogram>& transaction_seconds_;
  prometheus::Histogram& read_seconds_;
  prometheus::Histogram& write_committed_seconds_;
  prometheus::Histogram& write_rolled_back_seconds_;
};

}  // namespace grassroots::db
