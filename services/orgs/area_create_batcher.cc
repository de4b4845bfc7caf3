#include "services/orgs/area_create_batcher.h"

#include "common/status/errors.h"

namespace grassroots::orgs {

void AreaCreateBatcher::Submit(CreateRequest request, Done done) {
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

void AreaCreateBatcher::Flush() {
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
    std::vector<CreateRequest> requests;
    requests.reserve(batch.size());
    for (auto& p : batch) requests.push_back(std::move(p.request));
    auto results = store_.CreateMany(requests);
    for (size_t i = 0; i < batch.size(); ++i) std::move(batch[i].done)(std::move(results[i]));
  }
}

}  // namespace grassroots::orgs
