#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/server/service_env.h"
#include "grassroots/careers/v1/training.grpc.pb.h"
#include "services/grid/feed_loop.h"
#include "services/grid/qualification_store.h"

namespace grassroots::grid {

// Keeps grid's copy of careers' training rule: reads careers'
// qualification feed from the stored cursor and applies each page with the
// cursor in one transaction (QualificationStore), so a change is applied
// once however many replicas follow. Unlike orgs' area moves, the whole
// history counts (a worker qualified before grid first started is still
// qualified), so there is nothing to skip. While careers is away it tries
// again next round, and assignments go on with what grid last learnt.
class QualificationFollower {
 public:
  QualificationFollower(std::shared_ptr<grpc::Channel> careers, const ServiceEnv& env,
                        QualificationStore& store, absl::Duration interval,
                        absl::Duration deadline);

  void Start();
  void Stop();
  // Reads and applies everything careers numbered after the cursor; the
  // number of changes read.
  absl::StatusOr<int64_t> CatchUp();

 private:
  std::unique_ptr<careers::v1::TrainingService::Stub> feed_;
  const ServiceEnv& env_;
  QualificationStore& store_;
  const absl::Duration deadline_;
  FeedLoop loop_;
};

}  // namespace grassroots::grid
