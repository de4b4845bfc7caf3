#include "common/db/connection_pool.h"

#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/statement.h>
#include <prometheus/family.h>

#include <iterator>

#include "absl/strings/str_cat.h"
#include "common/db/sql_errors.h"
#include "common/status/errors.h"

namespace grassroots::db {
namespace {

prometheus::Gauge& PoolGauge(prometheus::Registry& registry, const std::string& state) {
  return prometheus::BuildGauge()
      .Name("grassroots_db_pool_connections")
      .Help("Database connections by state (in_use, idle, max)")
      .Register(registry)
      .Add({{"state", state}});
}

prometheus::Counter& PoolCounter(prometheus::Registry& registry, const std::string& event) {
  return prometheus::BuildCounter()
      .Name("grassroots_db_pool_events_total")
      .Help("Pool events: opened, lost (connection errors), exhausted (acquire timeouts)")
      .Register(registry)
      .Add({{"event", event}});
}

prometheus::Histogram::BucketBoundaries TransactionBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
}

}  // namespace

void ConnectionPool::RecordTransaction(bool write, absl::Duration took, bool committed) {
  const double seconds = absl::ToDoubleSeconds(took);
  if (!write) {
    read_seconds_.Observe(seconds);
  } else if (committed) {
    write_committed_seconds_.Observe(seconds);
  } else {
    write_rolled_back_seconds_.Observe(seconds);
  }
}

Lease::~Lease() {
  if (connection_ != nullptr) pool_->Release(std::move(connection_), broken_);
}

ConnectionPool::ConnectionPool(DbOptions options, prometheus::Registry& registry)
    : options_(std::move(options)),
      in_use_gauge_(PoolGauge(registry, "in_use")),
      idle_gauge_(PoolGauge(registry, "idle")),
      max_gauge_(PoolGauge(registry, "max")),
      opened_total_(PoolCounter(registry, "opened")),
      lost_total_(PoolCounter(registry, "lost")),
      exhausted_total_(PoolCounter(registry, "exhausted")),
      acquire_seconds_(prometheus::BuildHistogram()
                           .Name("grassroots_db_pool_acquire_seconds")
                           .Help("Time waited for a database connection")
                           .Register(registry)
                           .Add({}, prometheus::Histogram::BucketBoundaries{0.0001, 0.001, 0.005,
                                                                            0.025, 0.1, 0.5, 2.5})),
      retried_total_(PoolCounter(registry, "retried")),
      transaction_seconds_(prometheus::BuildHistogram()
                               .Name("grassroots_db_transaction_seconds")
                               .Help("Database units of work by kind and outcome")
                               .Register(registry)),
      read_seconds_(
          transaction_seconds_.Add({{"kind", "read"}, {"outcome", "done"}}, TransactionBuckets())),
      write_committed_seconds_(transaction_seconds_.Add(
          {{"kind", "write"}, {"outcome", "committed"}}, TransactionBuckets())),
      write_rolled_back_seconds_(transaction_seconds_.Add(
          {{"kind", "write"}, {"outcome", "rolled_back"}}, TransactionBuckets())) {
  max_gauge_.Set(options_.pool_size);
}

ConnectionPool::~ConnectionPool() { CloseIdle(); }

void ConnectionPool::CloseIdle() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    absl::MutexLock lock(&mu_);
    closing.swap(idle_);
    open_count_ -= static_cast<int>(closing.size());
    idle_gauge_.Set(0);
  }
}

absl::StatusOr<std::unique_ptr<Connection>> ConnectionPool::Open() {
  sql::ConnectOptionsMap connect;
  connect["hostName"] = sql::SQLString(absl::StrCat("tcp://", options_.host, ":", options_.port));
  connect["userName"] = sql::SQLString(options_.user);
  connect["password"] = sql::SQLString(options_.password);
  if (!options_.schema.empty()) connect["schema"] = sql::SQLString(options_.schema);
  connect["OPT_CONNECT_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options_.connect_timeout));
  connect["OPT_READ_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options_.read_timeout));
  connect["OPT_WRITE_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options_.read_timeout));
  connect["OPT_RECONNECT"] = false;  // a silent reconnect would lose the open transaction
  connect["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  try {
    std::unique_ptr<sql::Connection> raw(get_driver_instance()->connect(connect));
    std::unique_ptr<sql::Statement> setup(raw->createStatement());
    setup->execute("SET time_zone = '+00:00'");
    opened_total_.Increment();
    return std::make_unique<Connection>(std::move(raw), generation_.load());
  } catch (const sql::SQLException& e) {
    return Unavailable("DATABASE_UNAVAILABLE",
                       absl::StrCat("database unreachable (error ", e.getErrorCode(), ")"));
  }
}

bool ConnectionPool::Healthy(Connection& connection) {
  try {
    std::unique_ptr<sql::Statement> ping(connection.raw().createStatement());
    std::unique_ptr<sql::ResultSet> rs(ping->executeQuery("SELECT 1"));
    const bool answered = rs->next();
    // With autocommit off the ping opened a transaction; close it.
    if (!connection.autocommit()) ping->execute("ROLLBACK");
    return answered;
  } catch (const sql::SQLException&) {
    return false;
  }
}

absl::StatusOr<Lease> ConnectionPool::Acquire(SessionMode mode) {
  const bool want_autocommit = mode == SessionMode::kAutocommit;
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + options_.acquire_timeout;
  while (true) {
    std::unique_ptr<Connection> connection;
    bool may_open = false;
    {
      absl::MutexLock lock(&mu_);
      auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_count_ < options_.pool_size;
      };
      if (!mu_.AwaitWithDeadline(absl::Condition(&available), deadline)) {
        exhausted_total_.Increment();
        return ResourceExhausted("DATABASE_BUSY",
                                 "every database connection is busy; retry shortly");
      }
      if (!idle_.empty()) {
        // Most recently used first, preferring a session already in the mode.
        auto pick = idle_.end() - 1;
        for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
          if ((*it)->autocommit() == want_autocommit) {
            pick = std::prev(it.base());
            break;
          }
        }
        connection = std::move(*pick);
        idle_.erase(pick);
        idle_gauge_.Decrement();
      } else {
        ++open_count_;
        may_open = true;
      }
      in_use_gauge_.Increment();
    }
    if (may_open) {
      auto opened = Open();
      if (!opened.ok()) {
        absl::MutexLock lock(&mu_);
        --open_count_;
        in_use_gauge_.Decrement();
        return opened.status();
      }
      connection = std::move(*opened);
    } else {
      const bool stale = connection->generation() < generation_.load() ||
                         absl::Now() - connection->last_used() > options_.validate_after_idle;
      if (stale) {
        if (!Healthy(*connection)) {
          // Drop it and go round again: the next pass opens a fresh session.
          Release(std::move(connection), /*broken=*/true);
          continue;
        }
        connection->set_generation(generation_.load());
      }
    }
    try {
      connection->SetAutocommit(want_autocommit);
    } catch (const sql::SQLException&) {
      NoteConnectionLost();
      Release(std::move(connection), /*broken=*/true);
      continue;
    }
    acquire_seconds_.Observe(absl::ToDoubleSeconds(absl::Now() - start));
    return Lease(this, std::move(connection));
  }
}

void ConnectionPool::NoteConnectionLost() {
  lost_total_.Increment();
  generation_.fetch_add(1);
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection, bool broken) {
  if (!broken) connection->set_last_used(absl::Now());
  std::unique_ptr<Connection> closing;
  absl::MutexLock lock(&mu_);
  in_use_gauge_.Decrement();
  if (broken) {
    closing = std::move(connection);
    --open_count_;
  } else {
    idle_.push_back(std::move(connection));
    idle_gauge_.Increment();
  }
}

}  // namespace grassroots::db
