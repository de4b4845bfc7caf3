#include "services/grid/area_move_follower.h"

#include <vector>

#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "common/status/grpc_status.h"

namespace grassroots::grid {
namespace {

constexpr char kFollower[] = "grid:orgs-area-moves";

}  // namespace

AreaMoveFollower::AreaMoveFollower(std::shared_ptr<grpc::Channel> orgs, const ServiceEnv& env,
                                   AreaMoveStore& store, absl::Duration interval,
                                   absl::Duration deadline)
    : feed_(orgs::v1::ChangeFeedService::NewStub(std::move(orgs))),
      env_(env),
      store_(store),
      deadline_(deadline),
      loop_(*env.log, "orgs' area moves", interval) {}

void AreaMoveFollower::Start() {
  loop_.Start([this] { return CatchUp().status(); });
}

void AreaMoveFollower::Stop() { loop_.Stop(); }

absl::Status AreaMoveFollower::SkipHistoryIfNew() {
  auto cursor = store_.Cursor();
  if (!cursor.ok()) return cursor.status();
  if (*cursor != 0) return absl::OkStatus();
  return Read(/*skip=*/true).status();
}

absl::StatusOr<int64_t> AreaMoveFollower::CatchUp() { return Read(/*skip=*/false); }

absl::StatusOr<int64_t> AreaMoveFollower::Read(bool skip) {
  return ReadPages<common::v1::ListChangesRequest, common::v1::ListChangesResponse>(
      *env_.principals, kFollower, deadline_, [this] { return store_.Cursor(); },
      [this](grpc::ClientContext* context, const common::v1::ListChangesRequest& request,
             common::v1::ListChangesResponse* page) {
        return feed_->ListChanges(context, request, page);
      },
      [this, skip](int64_t from, const common::v1::ListChangesResponse& page) {
        std::vector<AreaMove> moves;
        for (const common::v1::Change& change : page.changes()) {
          if (skip || change.resource_type() != "grassroots.orgs.v1.Area" ||
              change.action() != common::v1::Change::MOVED) {
            continue;
          }
          orgs::v1::Area before, after;
          if (!change.before().UnpackTo(&before) || !change.after().UnpackTo(&after)) continue;
          moves.push_back({before.path(), after.path()});
        }
        const WriteContext write{kFollower, "", env_.clock->Now()};
        return store_.Apply(write, from, page.last_sequence(), moves);
      });
}

}  // namespace grassroots::grid
