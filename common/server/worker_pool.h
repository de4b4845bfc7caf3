#pragma once

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <deque>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace grassroots {

// Runs blocking work (database calls) off gRPC's own threads. Sized to the
// connection pool so a task never waits for a connection; the queue is
// bounded so overload is refused quickly instead of piling up.
class WorkerPool {
 public:
  WorkerPool(int threads, size_t max_queued, prometheus::Registry& registry);
  ~WorkerPool();

  // False when the queue is full or the pool is shutting down.
  bool Submit(absl::AnyInvocable<void() &&> task);
  // Runs everything already queued, then stops the threads.
  void Shutdown();

 private:
  void Loop();

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
  prometheus::Gauge& queued_;
  prometheus::Gauge& busy_;
};

}  // namespace grassroots
