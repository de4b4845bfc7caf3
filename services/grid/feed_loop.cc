#include "services/grid/feed_loop.h"

#include "absl/strings/str_cat.h"
#include "common/server/onward_call.h"

namespace grassroots::grid {

void FeedLoop::Start(std::function<absl::Status()> round) {
  if (stop_.HasBeenNotified() || thread_.joinable()) return;
  thread_ = std::thread([this, round = std::move(round)] {
    bool failing = false;
    do {
      absl::Status status = round();
      if (!status.ok() && !failing) {
        log_.Warn(absl::StrCat("cannot follow ", what_, "; retrying"),
                  {{"error", status.ToString()}});
      } else if (status.ok() && failing) {
        log_.Info(absl::StrCat("following ", what_, " again"));
      }
      failing = !status.ok();
    } while (!stop_.WaitForNotificationWithTimeout(interval_));
  });
}

void FeedLoop::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void PrepareFeedCall(grpc::ClientContext& context, const PrincipalCodec& principals,
                     const std::string& id, absl::Duration deadline) {
  PrepareServiceCall(context, principals, id, "system.feed", deadline);
}

}  // namespace grassroots::grid
