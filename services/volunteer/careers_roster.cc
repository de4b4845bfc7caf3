#include "services/volunteer/careers_roster.h"

#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "common/server/onward_call.h"
#include "common/status/errors.h"
#include "services/volunteer/volunteer_store.h"

namespace grassroots::volunteer {

CareersRoster::CareersRoster(std::shared_ptr<grpc::Channel> careers, db::ConnectionPool& pool,
                             const PrincipalCodec& principals, const WorkRoster& unlinked,
                             absl::Duration deadline)
    : careers_(careers::v1::WorkerService::NewStub(std::move(careers))),
      pool_(pool),
      principals_(principals),
      unlinked_(unlinked),
      deadline_(deadline) {}

absl::StatusOr<std::optional<WorkingHours>> CareersRoster::HoursOf(
    const std::string& volunteer_id) const {
  std::string worker_id;
  absl::Status read = db::RunReadOnly(pool_, [&](db::Connection& c) {
    if (auto v = VolunteerStore::FindInScope(c, "", volunteer_id)) worker_id = v->worker_id();
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (worker_id.empty()) return unlinked_.HoursOf(volunteer_id);

  grpc::ClientContext context;
  PrepareServiceCall(context, principals_, "volunteer:working-hours", "system.working-hours",
                     deadline_);
  careers::v1::GetWorkerRequest request;
  request.set_id(worker_id);
  careers::v1::WorkerWorkingHours answer;
  const grpc::Status status = careers_->GetWorkingHours(&context, request, &answer);
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
