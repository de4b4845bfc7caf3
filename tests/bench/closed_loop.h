// Closed-loop load for unary gRPC calls whose every request must differ (a
// repeated create is refused or answered from the first): CONCURRENCY units
// in flight for SECONDS through the callback client, each slot starting the
// next unit when one finishes. h2load cannot do this: it repeats one body.
//
// A unit is one call (ClosedLoop) or a chain of calls made one after another,
// each started when the one before answered OK (UnitLoop): an order created,
// dispatched, taken, completed and confirmed, for example.
#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"

namespace grassroots::bench {

// A principal `id` for the whole city with `roles`, signed with
// GRASSROOTS_PRINCIPAL_KEY; empty when the key is missing.
inline std::string SignedPrincipal(const std::vector<std::string>& roles,
                                   const std::string& id = "bench") {
  auto codec = PrincipalCodec::Create(std::getenv("GRASSROOTS_PRINCIPAL_KEY"));
  if (!codec.ok()) return "";
  common::v1::Principal principal;
  principal.set_id(id);
  for (const auto& r : roles) principal.add_roles(r);
  principal.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  return codec->Sign(principal);
}

// Distinguishes runs: a repeated request id would be answered from the
// first run's result (idempotency), which is not what is being measured.
inline std::string RunTag() {
  return absl::StrCat("r", absl::ToUnixMillis(absl::Now()) % 100000000);
}

// Units of one or more calls. `State` holds one unit's requests and
// responses; each unit starts from a fresh `State()`, and a step may read
// what the steps before it received (the id of the order just created).
template <typename State>
class UnitLoop {
 public:
  using Done = std::function<void(grpc::Status)>;
  // Starts the step's call for the `unit`-th unit with `context` (carrying
  // the step's principal and a 10 s deadline) on the stub's async API.
  using Start =
      std::function<void(int64_t unit, State& state, grpc::ClientContext* context, Done done)>;
  struct Step {
    std::string name;   // in the first error's message (may be empty)
    std::string token;  // the signed principal the call carries
    Start start;
  };
  struct Summary {
    double units_per_second = 0;
    double p50_ms = 0;  // of whole units
    double p99_ms = 0;
    int64_t errors = 0;           // units cut short by a call that failed
    double calls_per_second = 0;  // calls answered OK, those of failed units included
    int64_t units = 0;
  };

  explicit UnitLoop(std::vector<Step> steps) : steps_(std::move(steps)) {}

  // Runs until `seconds` have passed or, when `max_units` > 0, that many
  // units were started; rates are per second of that time (the calls still in
  // flight at the end are waited for, not counted in it). Empty when no unit
  // finished.
  std::optional<Summary> Run(int concurrency, int seconds, int64_t max_units = 0) {
    const absl::Time start = absl::Now();
    end_ = start + absl::Seconds(seconds);
    max_units_ = max_units;
    running_ = concurrency;
    std::vector<std::unique_ptr<Slot>> slots;
    for (int i = 0; i < concurrency; ++i) slots.push_back(std::make_unique<Slot>(this));
    for (auto& slot : slots) slot->StartUnit();
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](int* running) { return *running == 0; }, &running_));
    }
    std::sort(latencies_.begin(), latencies_.end());
    if (latencies_.empty()) return std::nullopt;
    const double elapsed =
        std::min(absl::ToDoubleSeconds(stopped_ - start), static_cast<double>(seconds));
    Summary summary;
    summary.units = static_cast<int64_t>(latencies_.size());
    summary.units_per_second = latencies_.size() / elapsed;
    summary.p50_ms = latencies_[latencies_.size() / 2];
    summary.p99_ms = latencies_[latencies_.size() * 99 / 100];
    summary.errors = errors_.load();
    summary.calls_per_second = calls_.load() / elapsed;
    return summary;
  }

 private:
  class Slot {
   public:
    explicit Slot(UnitLoop* loop) : loop_(loop) {}

    void StartUnit() {
      const absl::Time now = absl::Now();
      int64_t unit = -1;
      if (now < loop_->end_) unit = loop_->next_.fetch_add(1);
      if (unit < 0 || (loop_->max_units_ > 0 && unit >= loop_->max_units_)) {
        absl::MutexLock lock(&loop_->mu_);
        // When the last slot ran out of units (capped at the deadline below):
        // the rates' denominator.
        if (now > loop_->stopped_) loop_->stopped_ = now;
        --loop_->running_;
        return;
      }
      unit_ = unit;
      state_ = State();
      step_ = 0;
      started_ = now;
      StartStep();
    }

   private:
    void StartStep() {
      const Step& step = loop_->steps_[step_];
      context_ = std::make_unique<grpc::ClientContext>();
      context_->AddMetadata(std::string(kPrincipalMetadataKey), step.token);
      context_->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      step.start(unit_, state_, context_.get(),
                 [this](const grpc::Status& status) { Answered(status); });
    }

    void Answered(const grpc::Status& status) {
      if (!status.ok()) {
        if (loop_->errors_.fetch_add(1) == 0) {
          const std::string& name = loop_->steps_[step_].name;
          std::fprintf(stderr, "first error%s: %s\n",
                       name.empty() ? "" : absl::StrCat(" (", name, ")").c_str(),
                       status.error_message().c_str());
        }
        StartUnit();
        return;
      }
      loop_->calls_.fetch_add(1);
      if (++step_ < loop_->steps_.size()) {
        StartStep();
        return;
      }
      const double ms = absl::ToDoubleMilliseconds(absl::Now() - started_);
      {
        absl::MutexLock lock(&loop_->mu_);
        loop_->latencies_.push_back(ms);
      }
      StartUnit();
    }

    UnitLoop* loop_;
    std::unique_ptr<grpc::ClientContext> context_;
    State state_;
    int64_t unit_ = 0;
    size_t step_ = 0;
    absl::Time started_;
  };

  const std::vector<Step> steps_;
  absl::Time end_;
  int64_t max_units_ = 0;
  std::atomic<int64_t> next_{0};
  std::atomic<int64_t> errors_{0};
  std::atomic<int64_t> calls_{0};
  absl::Mutex mu_;
  std::vector<double> latencies_;
  absl::Time stopped_ = absl::InfinitePast();
  int running_ = 0;
};

// One call a unit. `fill(n, request)` makes the n-th request; `call(context,
// request, response, done)` starts it on the stub's async API.
template <typename Request, typename Response>
class ClosedLoop {
 public:
  using Fill = std::function<void(int64_t, Request&)>;
  using Call = std::function<void(grpc::ClientContext*, const Request*, Response*,
                                  std::function<void(grpc::Status)>)>;

  ClosedLoop(std::string token, Fill fill, Call call)
      : loop_({{"", std::move(token),
                [fill = std::move(fill), call = std::move(call)](
                    int64_t n, Exchange& exchange, grpc::ClientContext* context,
                    std::function<void(grpc::Status)> done) {
                  fill(n, exchange.request);
                  call(context, &exchange.request, &exchange.response, std::move(done));
                }}}) {}

  // Prints "calls_per_second p50_ms p99_ms errors"; false when nothing succeeded.
  bool Run(int concurrency, int seconds) {
    auto summary = loop_.Run(concurrency, seconds);
    if (!summary) return false;
    std::printf("%.0f %.2f %.2f %lld\n", summary->units_per_second, summary->p50_ms,
                summary->p99_ms, static_cast<long long>(summary->errors));
    return true;
  }

 private:
  struct Exchange {
    Request request;
    Response response;
  };
  UnitLoop<Exchange> loop_;
};

}  // namespace grassroots::bench
