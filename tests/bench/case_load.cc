// Closed-loop load for grid's ReportCase: each call reports a new case
// (its own request id) in GRID_ID under CATEGORY, as a grid worker, on its
// own point of a 1,000 x 1,000 lattice 110 m apart (beyond any duplicate
// radius) so no report repeats another. Calls take the points from
// FIRST_POINT on, so a later round given a later start repeats none of an
// earlier one's either. Prints "calls_per_second p50_ms p99_ms errors".
#include <cstdio>

#include "absl/strings/numbers.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "tests/bench/closed_loop.h"

int main(int argc, char** argv) {
  using grassroots::grid::v1::CaseService;
  using grassroots::grid::v1::ReportCaseRequest;
  using grassroots::grid::v1::ReportCaseResponse;
  int concurrency = 0, seconds = 0;
  int64_t first_point = 0;
  if ((argc != 6 && argc != 7) || !absl::SimpleAtoi(argv[4], &concurrency) ||
      !absl::SimpleAtoi(argv[5], &seconds) ||
      (argc == 7 && !absl::SimpleAtoi(argv[6], &first_point))) {
    std::fprintf(stderr, "usage: %s TARGET GRID_ID CATEGORY CONCURRENCY SECONDS [FIRST_POINT]\n",
                 argv[0]);
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
        const int64_t point = (first_point + n) % 1000000;
        c->set_latitude(30.2 + 0.001 * static_cast<double>(point % 1000));
        c->set_longitude(120.1 + 0.001 * static_cast<double>(point / 1000));
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
