#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/auth/principal_codec.h"
#include "common/log/logger.h"

namespace grassroots::grid {

// The rounds of a follower of another service's feed, every `interval` on
// a thread of its own until Stop. A failing round is retried next round,
// and logged once when following stops working and once when it recovers,
// not once a round.
class FeedLoop {
 public:
  FeedLoop(Logger& log, std::string what, absl::Duration interval)
      : log_(log), what_(std::move(what)), interval_(interval) {}
  ~FeedLoop() { Stop(); }

  void Start(std::function<absl::Status()> round);
  void Stop();

 private:
  Logger& log_;
  const std::string what_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
};

// A follower's call to the other service's feed: the deadline, and the
// principal it calls as (`id`, role system.feed, the whole city, valid
// for five minutes).
void PrepareFeedCall(grpc::ClientContext& context, const PrincipalCodec& principals,
                     const std::string& id, absl::Duration deadline);

}  // namespace grassroots::grid
