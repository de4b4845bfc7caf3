#include "services/careers/grid_case_figures.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "common/server/balanced_channel.h"
#include "common/server/onward_call.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace grassroots::careers {
namespace {

using grid::v1::GetCaseFiguresRequest;

GetCaseFiguresRequest YearIn(const std::string& community_path, int year) {
  GetCaseFiguresRequest request;
  request.set_area_path(community_path);
  request.mutable_period()->set_start_date(absl::StrCat(year, "-01-01"));
  request.mutable_period()->set_end_date(absl::StrCat(year, "-12-31"));
  return request;
}

// What a failed call to grid means for careers' caller.
absl::Status FromGridStatus(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::PERMISSION_DENIED:
      return PermissionDenied("OUT_OF_SCOPE",
                              "the worker's community lies outside the caller's jurisdiction");
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::CANCELLED:
      // The channel's own words name hosts and ports: not for callers.
      return Unavailable("GRID_UNAVAILABLE",
                         "grid, which counts the cases of the assessment, cannot answer now; "
                         "retry shortly");
    default:
      return Internal("GRID_FAILED",
                      absl::StrCat("grid refused the case figures: ", status.error_message()));
  }
}

}  // namespace

absl::StatusOr<grid::v1::GetCaseFiguresResponse> GridCaseFigures::Figures(
    const Call& call, const GetCaseFiguresRequest& request) const {
  grpc::ClientContext context;
  PrepareOnwardCall(call, deadline_, context);
  grid::v1::GetCaseFiguresResponse response;
  grpc::Status status = stub_->GetCaseFigures(&context, request, &response);
  if (!status.ok()) return FromGridStatus(status);
  return response;
}

absl::StatusOr<CasePerformance> GridCaseFigures::ForWorker(const Call& call,
                                                           const std::string& community_path,
                                                           const std::string& worker_id,
                                                           int year) const {
  GetCaseFiguresRequest request = YearIn(community_path, year);
  request.set_worker_ref(worker_id);
  auto response = Figures(call, request);
  if (!response.ok()) return response.status();
  if (response->figures_size() == 0) return CasePerformance{};
  return PerformanceOf(response->figures(0));
}

absl::StatusOr<std::map<std::string, CasePerformance>> GridCaseFigures::ForCommunity(
    const Call& call, const std::string& community_path, int year) const {
  GetCaseFiguresRequest request = YearIn(community_path, year);
  request.set_group_by(GetCaseFiguresRequest::WORKER);
  auto response = Figures(call, request);
  if (!response.ok()) return response.status();
  std::map<std::string, CasePerformance> by_worker;
  for (const grid::v1::CaseFigures& row : response->figures()) {
    by_worker[row.key()] = PerformanceOf(row);
  }
  return by_worker;
}

}  // namespace grassroots::careers
