#pragma once

#include <prometheus/counter.h>

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/log/logger.h"

namespace grassroots {

// Runs `body` now and then every `interval` on a thread of its own until
// stopped. A failure is counted and logged once until a run succeeds again
// (a database away for an hour logs two lines, not thousands).
class BackgroundLoop {
 public:
  BackgroundLoop(Logger& log, std::string what, prometheus::Counter& failures,
                 absl::Duration interval, std::function<absl::Status()> body)
      : log_(log),
        what_(std::move(what)),
        failures_(failures),
        interval_(interval),
        body_(std::move(body)) {}
  ~BackgroundLoop() { Stop(); }

  void Start();
  void Stop();

 private:
  Logger& log_;
  const std::string what_;
  prometheus::Counter& failures_;
  const absl::Duration interval_;
  const std::function<absl::Status()> body_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace grassroots
