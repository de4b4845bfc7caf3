#pragma once

#include <deque>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/server/worker_pool.h"
#include "services/orgs/area_store.h"

namespace grassroots::orgs {

// Lets concurrent CreateArea calls share transactions. A call is queued; a
// few flushers on the worker pool each take whatever is queued (up to
// max_batch) and write it with AreaStore::CreateMany. Under light load a
// flusher takes a batch of one at once, so nothing waits for company; under
// heavy load batches grow by themselves and one commit (one log flush)
// serves many callers. Each caller is answered only after its row committed.
class AreaCreateBatcher {
 public:
  using Done = absl::AnyInvocable<void(absl::StatusOr<v1::Area>) &&>;

  AreaCreateBatcher(AreaStore& store, WorkerPool& workers, int max_batch = 64, int max_flushers = 2)
      : store_(store), workers_(workers), max_batch_(max_batch), max_flushers_(max_flushers) {}

  void Submit(CreateRequest request, Done done);

 private:
  struct Pending {
    CreateRequest request;
    Done done;
  };
  void Flush();

  AreaStore& store_;
  WorkerPool& workers_;
  const int max_batch_;
  const int max_flushers_;
  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  int flushers_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace grassroots::orgs
