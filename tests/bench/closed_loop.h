// Closed-loop load for unary gRPC calls whose every request must differ (a
// repeated create is refused or answered from the first): CONCURRENCY calls
// in flight for SECONDS through the callback client, each slot starting the
// next call when one finishes. h2load cannot do this: it repeats one body.
#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"

namespace grassroots::bench {

// A principal for the whole city with `roles`, signed with
// GRASSROOTS_PRINCIPAL_KEY; empty when the key is missing.
inline std::string SignedPrincipal(const std::vector<std::string>& roles) {
  auto codec = PrincipalCodec::Create(std::getenv("GRASSROOTS_PRINCIPAL_KEY"));
  if (!codec.ok()) return "";
  common::v1::Principal principal;
  principal.set_id("bench");
  for (const auto& r : roles) principal.add_roles(r);
  principal.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  return codec->Sign(principal);
}

// Distinguishes runs: a repeated request id would be answered from the
// first run's result (idempotency), which is not what is being measured.
inline std::string RunTag() {
  return absl::StrCat("r", absl::ToUnixMillis(absl::Now()) % 100000000);
}

// `fill(n, request)` makes the n-th request; `call(context, request,
// response, done)` starts it on the stub's async API.
template <typename Request, typename Response>
class ClosedLoop {
 public:
  using Fill = std::function<void(int64_t, Request&)>;
  using Call = std::function<void(grpc::ClientContext*, const Request*, Response*,
                                  std::function<void(grpc::Status)>)>;

  ClosedLoop(std::string token, Fill fill, Call call)
      : token_(std::move(token)), fill_(std::move(fill)), call_(std::move(call)) {}

  // Prints "calls_per_second p50_ms p99_ms errors"; false when nothing succeeded.
  bool Run(int concurrency, int seconds) {
    end_ = absl::Now() + absl::Seconds(seconds);
    running_ = concurrency;
    std::vector<std::unique_ptr<Slot>> slots;
    for (int i = 0; i < concurrency; ++i) slots.push_back(std::make_unique<Slot>(this));
    for (auto& slot : slots) slot->Start();
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](int* running) { return *running == 0; }, &running_));
    }
    std::sort(latencies_.begin(), latencies_.end());
    if (latencies_.empty()) return false;
    std::printf("%.0f %.2f %.2f %lld\n", latencies_.size() / static_cast<double>(seconds),
                latencies_[latencies_.size() / 2], latencies_[latencies_.size() * 99 / 100],
                static_cast<long long>(errors_.load()));
    return true;
  }

 private:
  class Slot {
   public:
    explicit Slot(ClosedLoop* loop) : loop_(loop) {}
    void Start() {
      if (absl::Now() >= loop_->end_) {
        absl::MutexLock lock(&loop_->mu_);
        --loop_->running_;
        return;
      }
      context_ = std::make_unique<grpc::ClientContext>();
      context_->AddMetadata(std::string(kPrincipalMetadataKey), loop_->token_);
      context_->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      request_ = Request();
      loop_->fill_(loop_->next_.fetch_add(1), request_);
      started_ = absl::Now();
      loop_->call_(context_.get(), &request_, &response_, [this](const grpc::Status& status) {
        const double ms = absl::ToDoubleMilliseconds(absl::Now() - started_);
        if (!status.ok()) {
          if (loop_->errors_.fetch_add(1) == 0) {
            std::fprintf(stderr, "first error: %s\n", status.error_message().c_str());
          }
        } else {
          absl::MutexLock lock(&loop_->mu_);
          loop_->latencies_.push_back(ms);
        }
        Start();
      });
    }

   private:
    ClosedLoop* loop_;
    std::unique_ptr<grpc::ClientContext> context_;
    Request request_;
    Response response_;
    absl::Time started_;
  };

  const std::string token_;
  const Fill fill_;
  const Call call_;
  absl::Time end_;
  std::atomic<int64_t> next_{0};
  std::atomic<int64_t> errors_{0};
  absl::Mutex mu_;
  std::vector<double> latencies_;
  int running_ = 0;
};

}  // namespace grassroots::bench
