#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/auth/scope.h"
#include "common/db/transaction.h"
#include "common/server/call.h"
#include "grassroots/common/v1/changes.pb.h"

namespace grassroots {

// The path a feed reader may see: its requested prefix, which must lie in
// its scope, or its whole scope.
absl::StatusOr<std::string> FeedPrefix(const Call& call, const std::string& requested);

absl::Status ListChanges(const ServiceEnv& env, const Call& call,
                         const common::v1::ListChangesRequest& request,
                         common::v1::ListChangesResponse* response);

// Streams changes after a cursor, then new ones as the sequencer publishes
// them, until the caller cancels or the server stops.
grpc::ServerWriteReactor<common::v1::Change>* WatchChanges(
    grpc::CallbackServerContext* context, const ServiceEnv& env,
    const common::v1::WatchChangesRequest& request);

// Serves a service's ChangeFeedService (the generated type differs per
// package; the messages and the behaviour do not).
template <typename Generated>
class ChangeFeedHandler final : public Generated::CallbackService {
 public:
  explicit ChangeFeedHandler(const ServiceEnv& env) : env_(env) {}

  grpc::ServerUnaryReactor* ListChanges(grpc::CallbackServerContext* context,
                                        const common::v1::ListChangesRequest* request,
                                        common::v1::ListChangesResponse* response) override {
    return HandleUnary(context, env_, [this, request, response](const Call& call) {
      return grassroots::ListChanges(env_, call, *request, response);
    });
  }

  grpc::ServerWriteReactor<common::v1::Change>* WatchChanges(
      grpc::CallbackServerContext* context,
      const common::v1::WatchChangesRequest* request) override {
    return grassroots::WatchChanges(context, env_, *request);
  }

 private:
  const ServiceEnv& env_;
};

}  // namespace grassroots
