#pragma once

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/server/service_env.h"
#include "common/server/worker_pool.h"
#include "common/status/errors.h"

namespace grassroots {

// Lets concurrent writes of one kind share transactions. A write is queued;
// a few flushers on the worker pool each take whatever is queued (up to
// max_batch) and hand it to `write_many`, which answers each request in
// order. Under light load a flusher takes a batch of one at once, so
// nothing waits for company; under heavy load batches grow by themselves and
// one commit (one log flush, one round trip per statement) serves many
// callers. `write_many` answers a request only after its row committed.
// Each batch's size goes to grassroots_write_batch_requests{write=name}.
template <typename Request, typename Result>
class WriteBatcher {
 public:
  using Done = absl::AnyInvocable<void(absl::StatusOr<Result>) &&>;
  using WriteMany =
      absl::AnyInvocable<std::vector<absl::StatusOr<Result>>(std::vector<Request>&) const>;

  WriteBatcher(const ServiceEnv& env, const std::string& name, WriteMany write_many,
               int max_batch = 64, int max_flushers = 2)
      : workers_(*env.workers),
        batch_requests_(env.write_batches != nullptr ? &env.write_batches->For(name) : nullptr),
        write_many_(std::move(write_many)),
        max_batch_(max_batch),
        max_flushers_(max_flushers) {}

  // A flusher touches the batcher once more after answering its last
  // request (to find the queue empty): wait for it rather than let it find
  // the batcher gone. A queued flusher runs even while the worker pool
  // shuts down, so this wait ends.
  ~WriteBatcher() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* flushers) { return *flushers == 0; }, &flushers_));
  }

  WriteBatcher(const WriteBatcher&) = delete;
  WriteBatcher& operator=(const WriteBatcher&) = delete;

  void Submit(Request request, Done done) {
    bool start_flusher = false;
    {
      absl::MutexLock lock(&mu_);
      queue_.push_back(Pending{std::move(request), std::move(done)});
      if (flushers_ < max_flushers_) {
        ++flushers_;
        start_flusher = true;
      }
    }
    if (start_flusher && !workers_.Submit([this] { Flush(); })) {
      // No worker will run it: answer everything still queued.
      std::deque<Pending> refused;
      {
        absl::MutexLock lock(&mu_);
        --flushers_;
        if (flushers_ == 0) refused.swap(queue_);
      }
      for (auto& p : refused) {
        std::move(p.done)(
            ResourceExhausted("SERVER_BUSY", "the service is at capacity or shutting down"));
      }
    }
  }

 private:
  struct Pending {
    Request request;
    Done done;
  };

  void Flush() {
    while (true) {
      std::vector<Pending> batch;
      {
        absl::MutexLock lock(&mu_);
        if (queue_.empty()) {
          --flushers_;
          return;
        }
        while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch_) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      if (batch_requests_ != nullptr) batch_requests_->Observe(static_cast<double>(batch.size()));
      std::vector<Request> requests;
      requests.reserve(batch.size());
      for (auto& p : batch) requests.push_back(std::move(p.request));
      std::vector<absl::StatusOr<Result>> results;
      try {
        results = write_many_(requests);
      } catch (const std::exception& e) {
        results.assign(batch.size(), absl::InternalError(e.what()));
      }
      for (size_t i = 0; i < batch.size(); ++i) {
        std::move(batch[i].done)(i < results.size() ? std::move(results[i])
                                                    : absl::InternalError("write not answered"));
      }
    }
  }

  WorkerPool& workers_;
  prometheus::Histogram* const batch_requests_;
  const WriteMany write_many_;
  const int max_batch_;
  const int max_flushers_;
  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  int flushers_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace grassroots
