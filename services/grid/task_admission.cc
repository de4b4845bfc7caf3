#include "services/grid/task_admission.h"

#include "common/server/onward_call.h"
#include "common/status/errors.h"
#include "services/grid/area_directory.h"

namespace grassroots::grid {

absl::Status OrgsTaskAdmission::CheckTask(const Call& call, const std::string& community_path,
                                          const std::string& item_code,
                                          const std::string& department) const {
  grpc::ClientContext context;
  PrepareOnwardCall(call, deadline_, context);
  orgs::v1::CheckAdmissionRequest request;
  request.set_area_path(community_path);
  request.set_item_code(item_code);
  request.set_department(department);
  orgs::v1::CheckAdmissionResponse answer;
  grpc::Status status = stub_->CheckAdmission(&context, request, &answer);
  if (!status.ok()) return FromOrgsStatus(status, "case.grid_id");
  if (answer.decision() == orgs::v1::CheckAdmissionResponse::ALLOWED) return absl::OkStatus();
  return FailedPrecondition(answer.reason().empty() ? "NOT_ON_ADMISSION_LIST" : answer.reason(),
                            answer.message());
}

}  // namespace grassroots::grid
