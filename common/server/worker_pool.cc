#include "common/server/worker_pool.h"

#include <prometheus/family.h>

namespace grassroots {
namespace {
prometheus::Gauge& WorkerGauge(prometheus::Registry& registry, const std::string& state) {
  return prometheus::BuildGauge()
      .Name("grassroots_worker_pool_tasks")
      .Help("Blocking tasks by state (queued, running)")
      .Register(registry)
      .Add({{"state", state}});
}
}  // namespace

WorkerPool::WorkerPool(int threads, size_t max_queued, prometheus::Registry& registry)
    : max_queued_(max_queued),
      queued_(WorkerGauge(registry, "queued")),
      busy_(WorkerGauge(registry, "running")) {
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::Submit(absl::AnyInvocable<void() &&> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || queue_.size() >= max_queued_) return false;
  queue_.push_back(std::move(task));
  queued_.Increment();
  return true;
}

void WorkerPool::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkerPool::Loop() {
  while (true) {
    absl::AnyInvocable<void() &&> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](WorkerPool* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stopping_ || !self->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and nothing left to run
      task = std::move(queue_.front());
      queue_.pop_front();
      queued_.Decrement();
    }
    busy_.Increment();
    std::move(task)();
    busy_.Decrement();
  }
}

}  // namespace grassroots
