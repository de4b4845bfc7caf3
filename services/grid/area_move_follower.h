#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/server/service_env.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "services/grid/area_move_store.h"
#include "services/grid/feed_loop.h"

namespace grassroots::grid {

// Keeps grid's paths right when orgs moves areas: reads orgs' change feed
// from the stored cursor, and applies every area move it finds
// (grid_path_followers.h) with the cursor, in one transaction, so each
// move is applied once however many replicas follow. Calls orgs as grid
// itself (a principal it signs, the whole city), with a deadline; while
// orgs is away it simply tries again next round.
class AreaMoveFollower {
 public:
  AreaMoveFollower(std::shared_ptr<grpc::Channel> orgs, const ServiceEnv& env, AreaMoveStore& store,
                   absl::Duration interval, absl::Duration deadline);

  // On grid's first start (the cursor never moved): skips orgs' history up
  // to now, applying nothing. Grids are made with the paths orgs has when
  // they are made, so earlier moves are not theirs; replaying them could
  // move a grid of an area that took a moved one's old path. Run before
  // grid serves, until orgs answers once.
  absl::Status SkipHistoryIfNew();
  // Follows every `interval` on a thread of its own until Stop.
  void Start();
  void Stop();
  // Reads and applies everything orgs recorded after the cursor; the number
  // of orgs changes read.
  absl::StatusOr<int64_t> CatchUp();

 private:
  // Reads and, unless `skip`, applies orgs' changes after the cursor.
  absl::StatusOr<int64_t> Read(bool skip);

  std::unique_ptr<orgs::v1::ChangeFeedService::Stub> feed_;
  const ServiceEnv& env_;
  AreaMoveStore& store_;
  const absl::Duration deadline_;
  FeedLoop loop_;
};

}  // namespace grassroots::grid
