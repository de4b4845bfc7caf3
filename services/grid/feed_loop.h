#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/auth/principal_codec.h"
#include "common/log/logger.h"
#include "common/status/grpc_status.h"

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

// One catch-up of a follower: from the stored cursor, page after page of
// the other service's feed (`list(context, request, page)`, a stub's
// method; requests and pages with after_sequence, page_size, changes and
// last_sequence) until a page comes back empty. `apply(from, page)`
// applies a page with the cursor; ABORTED means another replica went
// first, and reading goes on from where it got to. The entries read.
template <typename Request, typename Page, typename Cursor, typename List, typename Apply>
absl::StatusOr<int64_t> ReadPages(const PrincipalCodec& principals, const std::string& id,
                                  absl::Duration deadline, Cursor cursor, List list, Apply apply) {
  int64_t read = 0;
  for (;;) {
    absl::StatusOr<int64_t> from = cursor();
    if (!from.ok()) return from.status();
    grpc::ClientContext context;
    PrepareFeedCall(context, principals, id, deadline);
    Request request;
    request.set_after_sequence(*from);
    request.set_page_size(1000);
    Page page;
    grpc::Status status = list(&context, request, &page);
    if (!status.ok()) return FromGrpcStatus(status);
    if (page.changes_size() == 0) return read;
    absl::Status applied = apply(*from, page);
    if (!applied.ok() && !absl::IsAborted(applied)) return applied;
    read += page.changes_size();
  }
}

}  // namespace grassroots::grid
