#include "services/grid/qualification_follower.h"

#include <vector>

#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "common/status/grpc_status.h"

namespace grassroots::grid {
namespace {

constexpr int kPageSize = 1000;
constexpr char kFollower[] = "grid:careers-qualifications";

}  // namespace

QualificationFollower::QualificationFollower(std::shared_ptr<grpc::Channel> careers,
                                             const ServiceEnv& env, QualificationStore& store,
                                             absl::Duration interval, absl::Duration deadline)
    : feed_(careers::v1::TrainingService::NewStub(std::move(careers))),
      env_(env),
      store_(store),
      deadline_(deadline),
      loop_(*env.log, "careers' qualification feed", interval) {}

void QualificationFollower::Start() {
  loop_.Start([this] { return CatchUp().status(); });
}

void QualificationFollower::Stop() { loop_.Stop(); }

absl::StatusOr<int64_t> QualificationFollower::CatchUp() {
  int64_t read = 0;
  for (;;) {
    auto cursor = store_.Cursor();
    if (!cursor.ok()) return cursor.status();
    grpc::ClientContext context;
    PrepareFeedCall(context, *env_.principals, kFollower, deadline_);
    careers::v1::ListQualificationChangesRequest request;
    request.set_after_sequence(*cursor);
    request.set_page_size(kPageSize);
    careers::v1::ListQualificationChangesResponse page;
    grpc::Status status = feed_->ListQualificationChanges(&context, request, &page);
    if (!status.ok()) return FromGrpcStatus(status);
    if (page.changes_size() == 0) return read;
    const std::vector<careers::v1::QualificationChange> changes(page.changes().begin(),
                                                                page.changes().end());
    const WriteContext write{kFollower, "", env_.clock->Now()};
    absl::Status applied = store_.Apply(write, *cursor, page.last_sequence(), changes);
    // Another replica went first: read on from where it got to.
    if (!applied.ok() && !absl::IsAborted(applied)) return applied;
    read += page.changes_size();
  }
}

}  // namespace grassroots::grid
