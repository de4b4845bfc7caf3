// Open-loop load: calls of several kinds started at a constant offered rate
// each, whatever the server does, so a slow server shows as latency and
// backlog instead of as a quietly lower rate (a closed loop slows down with
// the server and hides it). Each call's latency is counted from when it was
// due, not from when it was sent, so a client that falls behind is charged
// too. Calls in flight are capped; a call due while at the cap is counted as
// shed, never sent late.
#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace grassroots::bench {

// What a caller adds to every call's context (an API key, a principal).
using Decorate = std::function<void(grpc::ClientContext&)>;

// One kind of call: `start(n, context, done)` fills the n-th request of
// this kind, starts it on a stub's callback API and calls `done` with the
// status when it completes (it owns its request and response); it returns
// false, without calling `done`, when there is nothing of its kind to do yet
// (a step whose cases have not been reported).
struct CallKind {
  std::string name;
  double per_second = 0;
  bool write = false;
  std::function<bool(int64_t, grpc::ClientContext*, std::function<void(grpc::Status)>)> start;
};

struct KindFigures {
  std::string name;
  bool write = false;
  double offered_per_second = 0;
  double ok_per_second = 0;
  double p50_ms = 0, p99_ms = 0;
  int64_t errors = 0, shed = 0, idle = 0;
  std::map<std::string, int64_t> error_codes;
};

class OpenLoop {
 public:
  OpenLoop(std::vector<CallKind> kinds, Decorate decorate, int max_in_flight)
      : kinds_(std::move(kinds)), decorate_(std::move(decorate)), max_in_flight_(max_in_flight) {
    tallies_.resize(kinds_.size());
  }

  // Runs every kind at its rate for `seconds`, then waits for the calls in
  // flight (each has a 10 s deadline).
  std::vector<KindFigures> Run(int seconds) {
    const absl::Time begin = absl::Now();
    const absl::Time end = begin + absl::Seconds(seconds);
    std::vector<int64_t> sent(kinds_.size(), 0);
    for (absl::Time now = begin; now < end; now = absl::Now()) {
      absl::Time next_due = end;
      for (size_t k = 0; k < kinds_.size(); ++k) {
        if (kinds_[k].per_second <= 0) continue;
        const absl::Duration gap = absl::Seconds(1) / kinds_[k].per_second;
        // Every call due by now starts now, charged from its due time.
        for (absl::Time due = begin + gap * sent[k]; due <= now; due = begin + gap * sent[k]) {
          Start(k, sent[k]++, due);
        }
        next_due = std::min(next_due, begin + gap * sent[k]);
      }
      const absl::Duration wait = next_due - absl::Now();
      if (wait > absl::ZeroDuration()) absl::SleepFor(std::min(wait, absl::Milliseconds(1)));
    }
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](int* in_flight) { return *in_flight == 0; }, &in_flight_));
    }
    const double elapsed = absl::ToDoubleSeconds(end - begin);
    std::vector<KindFigures> figures;
    absl::MutexLock lock(&mu_);
    for (size_t k = 0; k < kinds_.size(); ++k) {
      auto& t = tallies_[k];
      std::sort(t.latencies_ms.begin(), t.latencies_ms.end());
      KindFigures f;
      f.name = kinds_[k].name;
      f.write = kinds_[k].write;
      f.offered_per_second = kinds_[k].per_second;
      f.ok_per_second = t.latencies_ms.size() / elapsed;
      if (!t.latencies_ms.empty()) {
        f.p50_ms = t.latencies_ms[t.latencies_ms.size() / 2];
        f.p99_ms = t.latencies_ms[t.latencies_ms.size() * 99 / 100];
      }
      f.errors = t.errors;
      f.shed = t.shed;
      f.idle = t.idle;
      f.error_codes = t.error_codes;
      figures.push_back(std::move(f));
    }
    return figures;
  }

 private:
  struct Tally {
    std::vector<double> latencies_ms;
    int64_t errors = 0, shed = 0, idle = 0;
    std::map<std::string, int64_t> error_codes;
  };

  void Start(size_t kind, int64_t n, absl::Time due) {
    {
      absl::MutexLock lock(&mu_);
      if (in_flight_ >= max_in_flight_) {
        ++tallies_[kind].shed;
        return;
      }
      ++in_flight_;
    }
    auto context = std::make_shared<grpc::ClientContext>();
    decorate_(*context);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    const bool started =
        kinds_[kind].start(n, context.get(), [this, kind, due, context](grpc::Status status) {
          const double ms = absl::ToDoubleMilliseconds(absl::Now() - due);
          absl::MutexLock lock(&mu_);
          auto& t = tallies_[kind];
          if (status.ok()) {
            t.latencies_ms.push_back(ms);
          } else {
            ++t.errors;
            ++t.error_codes[absl::StrCat(status.error_code(), ": ",
                                         status.error_message().substr(0, 80))];
          }
          --in_flight_;
        });
    if (!started) {
      absl::MutexLock lock(&mu_);
      ++tallies_[kind].idle;
      --in_flight_;
    }
  }

  const std::vector<CallKind> kinds_;
  const Decorate decorate_;
  const int max_in_flight_;
  absl::Mutex mu_;
  int in_flight_ = 0;
  std::vector<Tally> tallies_;
};

}  // namespace grassroots::bench
