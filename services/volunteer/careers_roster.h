#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/auth/principal_codec.h"
#include "grassroots/careers/v1/worker.grpc.pb.h"
#include "services/volunteer/work_roster.h"

namespace grassroots::volunteer {

// The roster with careers as its source. A volunteer linked to a careers
// worker (Volunteer.worker_id) works the week careers holds for them while
// active or seconded (a seconded worker still works those hours,
// elsewhere); one who has left is no longer a community worker. A
// volunteer not linked is answered by `unlinked`, the service's own roster,
// kept for community workers careers does not hold.
//
// careers is asked once per confirmation, as volunteer itself (role
// system.working-hours, the whole city): the organiser confirming holds
// no careers role. When careers does not answer, only a linked volunteer's
// confirmation waits (UNAVAILABLE, CAREERS_UNAVAILABLE); everyone else's
// goes on.
class CareersRoster : public WorkRoster {
 public:
  CareersRoster(std::shared_ptr<grpc::Channel> careers_channel, const PrincipalCodec& principals,
                const WorkRoster& unlinked, absl::Duration deadline);

  absl::StatusOr<std::optional<WorkingHours>> HoursOf(
      const v1::Volunteer& volunteer) const override;

 private:
  // careers' WorkerService, asked for a linked volunteer's week.
  std::unique_ptr<careers::v1::WorkerService::Stub> workers_;
  const PrincipalCodec& principals_;
  const WorkRoster& unlinked_;
  const absl::Duration deadline_;
};

}  // namespace grassroots::volunteer
