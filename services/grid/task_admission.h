#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/server/call.h"
#include "grassroots/orgs/v1/admission.grpc.pb.h"

namespace grassroots::grid {

// Whether a department may hand a matter to a community (社区工作准入):
// the admission list is orgs', and grid asks it in the caller's name.
class TaskAdmission {
 public:
  virtual ~TaskAdmission() = default;
  // OK when the list in force today at `community_path` admits the item
  // from the department; FAILED_PRECONDITION with orgs' reason and words
  // (naming the list) when it does not; UNAVAILABLE (ORGS_UNAVAILABLE)
  // when orgs cannot answer.
  virtual absl::Status CheckTask(const Call& call, const std::string& community_path,
                                 const std::string& item_code,
                                 const std::string& department) const = 0;
};

// Asks orgs' AdmissionService/CheckAdmission over the shared orgs channel,
// with a deadline.
class OrgsTaskAdmission final : public TaskAdmission {
 public:
  OrgsTaskAdmission(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(orgs::v1::AdmissionService::NewStub(channel)), deadline_(deadline) {}

  absl::Status CheckTask(const Call& call, const std::string& community_path,
                         const std::string& item_code,
                         const std::string& department) const override;

 private:
  std::unique_ptr<orgs::v1::AdmissionService::Stub> stub_;
  const absl::Duration deadline_;
};

}  // namespace grassroots::grid
