#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/changes/change_log.h"
#include "common/changes/change_sequencer.h"
#include "common/db/connection_pool.h"
#include "common/log/logger.h"
#include "grassroots/common/v1/changes.pb.h"

namespace grassroots {

// Follows the service's own change feed, so an in-memory copy (orgs' area
// cache, grid's recently read cases) learns what other replicas and other
// write paths committed. Each change after the cursor is handed to `apply`,
// oldest first, on the follower's thread or the caller of CatchUp.
class OwnFeedFollower {
 public:
  using Apply = std::function<void(const common::v1::Change&)>;

  // `what` names the copy in the log ("area cache").
  OwnFeedFollower(db::ConnectionPool& pool, const ChangeLog& changes,
                  const ChangeSequencer* sequencer, Logger& log, std::string what, Apply apply);
  ~OwnFeedFollower();

  // Where to start: the feed position a snapshot was read at.
  void SetCursor(int64_t cursor);
  // The feed's current position, read from the database.
  static absl::StatusOr<int64_t> CurrentPosition(db::Connection& c);
  // Applies every change after the cursor (also run by the thread).
  absl::Status CatchUp();
  void Start();
  void Stop();

 private:
  void Follow();

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const ChangeSequencer* sequencer_;
  Logger& log_;
  const std::string what_;
  const Apply apply_;
  std::atomic<bool> stopping_{false};
  absl::Mutex mu_;  // one catch-up at a time
  int64_t cursor_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace grassroots
