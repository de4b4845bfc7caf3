#include "services/grid/area_move_follower.h"

#include <vector>

#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "common/status/grpc_status.h"

namespace grassroots::grid {
namespace {

constexpr int kPageSize = 1000;
constexpr char kFollower[] = "grid:orgs-area-moves";

}  // namespace

AreaMoveFollower::AreaMoveFollower(std::shared_ptr<grpc::Channel> orgs, const ServiceEnv& env,
                                   AreaMoveStore& store, absl::Duration interval,
                                   absl::Duration deadline)
    : feed_(orgs::v1::ChangeFeedService::NewStub(std::move(orgs))),
      env_(env),
      store_(store),
      interval_(interval),
      deadline_(deadline) {}

AreaMoveFollower::~AreaMoveFollower() { Stop(); }

void AreaMoveFollower::Start() {
  if (stop_.HasBeenNotified() || thread_.joinable()) return;
  thread_ = std::thread([this] {
    bool failing = false;
    do {
      auto read = CatchUp();
      // One line when following stops working and one when it recovers, not one a round.
      if (!read.ok() && !failing) {
        env_.log->Warn("cannot follow orgs' area moves; retrying",
                       {{"error", read.status().ToString()}});
      } else if (read.ok() && failing) {
        env_.log->Info("following orgs' area moves again");
      }
      failing = !read.ok();
    } while (!stop_.WaitForNotificationWithTimeout(interval_));
  });
}

void AreaMoveFollower::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

std::string AreaMoveFollower::Token() const {
  common::v1::Principal principal;
  principal.set_id(kFollower);
  principal.add_roles("system.feed");
  principal.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + absl::Minutes(5)));
  return env_.principals->Sign(principal);
}

absl::Status AreaMoveFollower::SkipHistoryIfNew() {
  auto cursor = store_.Cursor();
  if (!cursor.ok()) return cursor.status();
  if (*cursor != 0) return absl::OkStatus();
  return Read(/*skip=*/true).status();
}

absl::StatusOr<int64_t> AreaMoveFollower::CatchUp() { return Read(/*skip=*/false); }

absl::StatusOr<int64_t> AreaMoveFollower::Read(bool skip) {
  int64_t read = 0;
  for (;;) {
    auto cursor = store_.Cursor();
    if (!cursor.ok()) return cursor.status();
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
    context.AddMetadata(std::string(kPrincipalMetadataKey), Token());
    common::v1::ListChangesRequest request;
    request.set_after_sequence(*cursor);
    request.set_page_size(kPageSize);
    common::v1::ListChangesResponse page;
    grpc::Status status = feed_->ListChanges(&context, request, &page);
    if (!status.ok()) return FromGrpcStatus(status);
    if (page.changes_size() == 0) return read;
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
    absl::Status applied = store_.Apply(write, *cursor, page.last_sequence(), moves);
    // Another replica went first: read on from where it got to.
    if (!applied.ok() && !absl::IsAborted(applied)) return applied;
    read += page.changes_size();
  }
}

}  // namespace grassroots::grid
