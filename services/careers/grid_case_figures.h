#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/server/call.h"
#include "grassroots/grid/v1/case_figures.grpc.pb.h"
#include "services/careers/assessment_rules.h"
#include "services/careers/case_performance.h"

namespace grassroots::careers {

// Case performance from grid's CaseFiguresService on the caller's behalf
// (their signed principal, so grid applies their scope), with a deadline.
// A worker is known to grid as the reporter_ref of their reports, which is
// their careers worker id.
class GridCaseFigures {
 public:
  GridCaseFigures(std::shared_ptr<grpc::Channel> grid, absl::Duration deadline)
      : stub_(grid::v1::CaseFiguresService::NewStub(std::move(grid))), deadline_(deadline) {}

  // One worker's cases in the community in the year.
  absl::StatusOr<CasePerformance> ForWorker(const Call& call, const std::string& community_path,
                                            const std::string& worker_id, int year) const;
  // Every worker's cases in the community in the year, by worker id, in
  // one call (workers without cases are absent).
  absl::StatusOr<std::map<std::string, CasePerformance>> ForCommunity(
      const Call& call, const std::string& community_path, int year) const;

 private:
  absl::StatusOr<grid::v1::GetCaseFiguresResponse> Figures(
      const Call& call, const grid::v1::GetCaseFiguresRequest& request) const;

  std::unique_ptr<grid::v1::CaseFiguresService::Stub> stub_;
  const absl::Duration deadline_;
};

}  // namespace grassroots::careers
