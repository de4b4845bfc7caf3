#include "common/metrics/write_batch_metrics.h"

namespace grassroots {

WriteBatchMetrics::WriteBatchMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildHistogram()
                    .Name("grassroots_write_batch_requests")
                    .Help("Requests committed together in one transaction by a write batcher")
                    .Register(registry)) {}

prometheus::Histogram& WriteBatchMetrics::For(const std::string& write) {
  // Buckets up to the batchers' largest batch (64).
  return requests_.Add({{"write", write}},
                       prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64});
}

}  // namespace grassroots
