#include "services/grid/qualification_follower.h"

#include <vector>

#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "common/status/grpc_status.h"

namespace grassroots::grid {
namespace {

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
  using careers::v1::ListQualificationChangesRequest;
  using careers::v1::ListQualificationChangesResponse;
  return ReadPages<ListQualificationChangesRequest, ListQualificationChangesResponse>(
      *env_.principals, kFollower, deadline_, [this] { return store_.Cursor(); },
      [this](grpc::ClientContext* context, const ListQualificationChangesRequest& request,
             ListQualificationChangesResponse* page) {
        return feed_->ListQualificationChanges(context, request, page);
      },
      [this](int64_t from, const ListQualificationChangesResponse& page) {
        const std::vector<careers::v1::QualificationChange> changes(page.changes().begin(),
                                                                    page.changes().end());
        const WriteContext write{kFollower, "", env_.clock->Now()};
        return store_.Apply(write, from, page.last_sequence(), changes);
      });
}

}  // namespace grassroots::grid
