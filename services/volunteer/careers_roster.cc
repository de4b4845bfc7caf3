#include "services/volunteer/careers_roster.h"

#include "absl/strings/str_cat.h"
#include "common/server/onward_call.h"
#include "common/status/errors.h"

namespace grassroots::volunteer {

CareersRoster::CareersRoster(std::shared_ptr<grpc::Channel> careers_channel,
                             const PrincipalCodec& principals, const WorkRoster& unlinked,
                             absl::Duration deadline)
    : workers_(careers::v1::WorkerService::NewStub(std::move(careers_channel))),
      principals_(principals),
      unlinked_(unlinked),
      deadline_(deadline) {}

absl::StatusOr<std::optional<WorkingHours>> CareersRoster::HoursOf(
    const v1::Volunteer& volunteer) const {
  const std::string& worker_id = volunteer.worker_id();
  if (worker_id.empty()) return unlinked_.HoursOf(volunteer);

  grpc::ClientContext context;
  PrepareServiceCall(context, principals_, "volunteer:working-hours", "system.working-hours",
                     deadline_);
  careers::v1::GetWorkerRequest request;
  request.set_id(worker_id);
  careers::v1::WorkerWorkingHours answer;
  const grpc::Status status = workers_->GetWorkingHours(&context, request, &answer);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return FailedPrecondition(
        "WORKER_NOT_FOUND",
        absl::StrCat("volunteer.worker_id: careers holds no worker ", worker_id,
                     "; correct the volunteer's link before confirming their hours"));
  }
  if (!status.ok()) {
    return Unavailable("CAREERS_UNAVAILABLE",
                       absl::StrCat("careers, the source of community workers' working hours, "
                                    "did not answer (",
                                    status.error_message(), "); confirm again shortly"));
  }
  if (answer.status() == careers::v1::WORKER_LEFT) return std::optional<WorkingHours>();
  const careers::v1::WorkingHours& week = answer.working_hours();
  return std::optional<WorkingHours>(WorkingHours{week.weekdays(), week.start_minute(),
                                                  week.end_minute(), week.utc_offset_minutes()});
}

}  // namespace grassroots::volunteer
