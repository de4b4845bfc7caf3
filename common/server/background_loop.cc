#include "common/server/background_loop.h"

#include "absl/strings/str_cat.h"

namespace grassroots {

void BackgroundLoop::Start() {
  if (stop_.HasBeenNotified() || thread_.joinable()) return;
  thread_ = std::thread([this] {
    bool failing = false;
    do {
      const absl::Status status = body_();
      if (!status.ok()) {
        failures_.Increment();
        if (!failing) {
          log_.Warn(absl::StrCat("cannot ", what_, "; retrying"), {{"error", status.ToString()}});
        }
      } else if (failing) {
        log_.Info(absl::StrCat(what_, " again"));
      }
      failing = !status.ok();
    } while (!stop_.WaitForNotificationWithTimeout(interval_));
  });
}

void BackgroundLoop::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace grassroots
