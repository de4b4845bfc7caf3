#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/db/connection_pool.h"
#include "common/log/logger.h"

namespace grassroots {

// Gives committed change_log rows their feed positions, in commit order.
//
// Writers cannot number their own rows: auto-increment ids are taken at
// insert time, so a reader paging by id could pass a row whose transaction
// commits late, and miss it for ever. The sequencer numbers only rows that
// are already committed (a READ COMMITTED semi-consistent UPDATE skips rows
// still being written), under a lock on the change_sequencer row so that
// replicas take turns. The numbers it gives out have no gaps.
class ChangeSequencer {
 public:
  ChangeSequencer(db::ConnectionPool& pool, Logger& log, prometheus::Registry& registry,
                  absl::Duration interval);
  ~ChangeSequencer();

  void Start();
  void Stop();

  // Sequences whatever is committed now; returns how many rows it numbered.
  absl::StatusOr<int> SequenceOnce();

  // Calls `callback` once, from the sequencer thread (or at once), when the
  // feed holds a sequence above `after`, or with false when stopping.
  void NotifyAbove(int64_t after, std::function<void(bool)> callback);

  int64_t last_sequence() const { return last_sequence_.load(); }

 private:
  void Loop();
  absl::Status Tick();
  void Publish(int64_t last);

  db::ConnectionPool& pool_;
  Logger& log_;
  const absl::Duration interval_;
  std::atomic<int64_t> last_sequence_{0};

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::pair<int64_t, std::function<void(bool)>>> waiters_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;

  prometheus::Counter& sequenced_total_;
  prometheus::Gauge& last_sequence_gauge_;
  prometheus::Gauge& pending_gauge_;
};

}  // namespace grassroots
