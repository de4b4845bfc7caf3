// Closed-loop load for orgs' CreateArea: each call creates a new community
// (unique code) under PARENT_ID. Prints "calls_per_second p50_ms p99_ms errors".
#include <cstdio>

#include "absl/strings/numbers.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "tests/bench/closed_loop.h"

int main(int argc, char** argv) {
  using grassroots::orgs::v1::Area;
  using grassroots::orgs::v1::AreaService;
  using grassroots::orgs::v1::CreateAreaRequest;
  int concurrency = 0, seconds = 0;
  if (argc != 5 || !absl::SimpleAtoi(argv[3], &concurrency) ||
      !absl::SimpleAtoi(argv[4], &seconds)) {
    std::fprintf(stderr, "usage: %s TARGET PARENT_ID CONCURRENCY SECONDS\n", argv[0]);
    return 2;
  }
  const std::string token = grassroots::bench::SignedPrincipal({});
  if (token.empty()) return 2;
  auto stub =
      AreaService::NewStub(grpc::CreateChannel(argv[1], grpc::InsecureChannelCredentials()));
  const std::string parent = argv[2];
  const std::string run = grassroots::bench::RunTag();
  grassroots::bench::ClosedLoop<CreateAreaRequest, Area> loop(
      token,
      [&](int64_t n, CreateAreaRequest& request) {
        request.mutable_area()->set_kind(grassroots::orgs::v1::COMMUNITY);
        request.mutable_area()->set_code(absl::StrCat(run, "-", n));
        request.mutable_area()->set_display_name("Bench community");
        request.mutable_area()->set_parent_id(parent);
        request.set_request_id(absl::StrCat("bench-", run, "-", n));
      },
      [&](grpc::ClientContext* context, const CreateAreaRequest* request, Area* response,
          std::function<void(grpc::Status)> done) {
        stub->async()->CreateArea(context, request, response, std::move(done));
      });
  return loop.Run(concurrency, seconds) ? 0 : 1;
}
