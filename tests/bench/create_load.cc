// Closed-loop load for CreateArea: CONCURRENCY calls in flight for SECONDS,
// each creating a new community (unique code) under PARENT_ID, through the
// gRPC callback client. Prints "calls_per_second p50_ms p99_ms errors".
// h2load cannot do this: it repeats one body, and a repeated code is refused.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"

namespace {

using grassroots::orgs::v1::Area;
using grassroots::orgs::v1::AreaService;
using grassroots::orgs::v1::CreateAreaRequest;

struct Shared {
  AreaService::Stub* stub;
  std::string token;
  std::string parent_id;
  // Distinguishes runs: a repeated request id would be answered from the
  // first run's result (idempotency), which is not what is being measured.
  std::string run;
  absl::Time end;
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> errors{0};
  absl::Mutex mu;
  std::vector<double> latencies;
  int running = 0;
};

// One in-flight slot: when a call finishes it starts the next, until `end`.
class Slot {
 public:
  explicit Slot(Shared* shared) : shared_(shared) {}
  void Start() {
    if (absl::Now() >= shared_->end) {
      absl::MutexLock lock(&shared_->mu);
      --shared_->running;
      return;
    }
    context_ = std::make_unique<grpc::ClientContext>();
    context_->AddMetadata(std::string(grassroots::kPrincipalMetadataKey), shared_->token);
    context_->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    const int64_t n = shared_->next.fetch_add(1);
    request_.mutable_area()->set_kind(grassroots::orgs::v1::COMMUNITY);
    request_.mutable_area()->set_code(absl::StrCat(shared_->run, "-", n));
    request_.mutable_area()->set_display_name("Bench community");
    request_.mutable_area()->set_parent_id(shared_->parent_id);
    request_.set_request_id(absl::StrCat("bench-", shared_->run, "-", n));
    started_ = absl::Now();
    shared_->stub->async()->CreateArea(
        context_.get(), &request_, &response_, [this](const grpc::Status& status) {
          const double ms = absl::ToDoubleMilliseconds(absl::Now() - started_);
          if (!status.ok()) {
            shared_->errors.fetch_add(1);
          } else {
            absl::MutexLock lock(&shared_->mu);
            shared_->latencies.push_back(ms);
          }
          Start();
        });
  }

 private:
  Shared* shared_;
  std::unique_ptr<grpc::ClientContext> context_;
  CreateAreaRequest request_;
  Area response_;
  absl::Time started_;
};

}  // namespace

int main(int argc, char** argv) {
  int concurrency = 0, seconds = 0;
  if (argc != 5 || !absl::SimpleAtoi(argv[3], &concurrency) ||
      !absl::SimpleAtoi(argv[4], &seconds)) {
    std::fprintf(stderr, "usage: %s TARGET PARENT_ID CONCURRENCY SECONDS\n", argv[0]);
    return 2;
  }
  auto codec = grassroots::PrincipalCodec::Create(std::getenv("GRASSROOTS_PRINCIPAL_KEY"));
  if (!codec.ok()) return 2;
  grassroots::common::v1::Principal principal;
  principal.set_id("bench");
  principal.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  auto stub =
      AreaService::NewStub(grpc::CreateChannel(argv[1], grpc::InsecureChannelCredentials()));
  Shared shared;
  shared.stub = stub.get();
  shared.token = codec->Sign(principal);
  shared.parent_id = argv[2];
  shared.run = absl::StrCat("r", absl::ToUnixMillis(absl::Now()) % 100000000);
  shared.end = absl::Now() + absl::Seconds(seconds);
  shared.running = concurrency;
  std::vector<std::unique_ptr<Slot>> slots;
  for (int i = 0; i < concurrency; ++i) slots.push_back(std::make_unique<Slot>(&shared));
  for (auto& slot : slots) slot->Start();
  {
    absl::MutexLock lock(&shared.mu);
    shared.mu.Await(absl::Condition(
        +[](int* running) { return *running == 0; }, &shared.running));
  }
  auto& all = shared.latencies;
  std::sort(all.begin(), all.end());
  if (all.empty()) return 1;
  std::printf("%.0f %.2f %.2f %lld\n", all.size() / static_cast<double>(seconds),
              all[all.size() / 2], all[all.size() * 99 / 100],
              static_cast<long long>(shared.errors.load()));
  return 0;
}
