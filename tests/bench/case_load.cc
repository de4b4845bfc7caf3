// Closed-loop load for grid's ReportCase: each call reports a new case
// (its own request id) in GRID_ID under CATEGORY, as a grid worker, spread
// 110 m apart (beyond any duplicate radius) so no report repeats another. Prints
// "calls_per_second p50_ms p99_ms errors".
#include <cstdio>

#include "absl/strings/numbers.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "tests/bench/closed_loop.h"

int main(int argc, char** argv) {
  using grassroots::grid::v1::CaseService;
  using grassroots::grid::v1::ReportCaseRequest;
  using grassroots::grid::v1::ReportCaseResponse;
  int concurrency = 0, seconds = 0;
  if (argc != 6 || !absl::SimpleAtoi(argv[4], &concurrency) ||
      !absl::SimpleAtoi(argv[5], &seconds)) {
    std::fprintf(stderr, "usage: %s TARGET GRID_ID CATEGORY CONCURRENCY SECONDS\n", argv[0]);
    return 2;
  }
  const std::string token = grassroots::bench::SignedPrincipal({"grid.reporter"});
  if (token.empty()) return 2;
  auto stub =
      CaseService::NewStub(grpc::CreateChannel(argv[1], grpc::InsecureChannelCredentials()));
  const std::string grid = argv[2], category = argv[3];
  const std::string run = grassroots::bench::RunTag();
  grassroots::bench::ClosedLoop<ReportCaseRequest, ReportCaseResponse> loop(
      token,
      [&](int64_t n, ReportCaseRequest& request) {
        auto* c = request.mutable_case_();
        c->set_kind(grassroots::grid::v1::Case::INCIDENT);
        c->set_source(grassroots::grid::v1::Case::GRID_WORKER);
        c->set_category_code(category);
        c->set_grid_id(grid);
        c->set_latitude(30.2 + 0.001 * static_cast<double>(n % 1000));
        c->set_longitude(120.1 + 0.001 * static_cast<double>(n / 1000 % 1000));
        c->set_description("bench: rubbish by the bus stop");
        c->set_reporter_ref("bench-worker");
        request.set_request_id(absl::StrCat("bench-", run, "-", n));
      },
      [&](grpc::ClientContext* context, const ReportCaseRequest* request,
          ReportCaseResponse* response, std::function<void(grpc::Status)> done) {
        stub->async()->ReportCase(context, request, response, std::move(done));
      });
  return loop.Run(concurrency, seconds) ? 0 : 1;
}
