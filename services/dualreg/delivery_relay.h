#pragma once

#include <grpcpp/grpcpp.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>

#include "absl/time/time.h"
#include "common/auth/principal_codec.h"
#include "common/server/background_loop.h"
#include "common/server/service_env.h"
#include "grassroots/orgs/v1/co_building.grpc.pb.h"
#include "grassroots/volunteer/v1/credit.grpc.pb.h"
#include "services/dualreg/delivery_store.h"

namespace grassroots::dualreg {

// Delivers the outbox: credits to volunteer's CreditService, needs to
// orgs' PublishNeed, each under a principal dualreg signs for itself
// (system.credits / orgs.editor, the whole city) with a deadline. A row is
// marked done only after the receiver answered, so a crash or a receiver
// that is down means another attempt later (the backoff doubles from
// `min_backoff` up to `max_backoff`); receivers deduplicate by event id
// (volunteer's credit event, orgs' request id), so every event is applied
// once. A refusal for good (bad argument, unknown volunteer) is recorded
// on the order and not retried.
class DeliveryRelay {
 public:
  struct Options {
    absl::Duration interval = absl::Milliseconds(500);
    absl::Duration deadline = absl::Seconds(2);
    absl::Duration min_backoff = absl::Milliseconds(200);
    absl::Duration max_backoff = absl::Seconds(30);
    int batch = 100;
  };

  DeliveryRelay(const ServiceEnv& env, DeliveryStore& store,
                std::shared_ptr<grpc::Channel> volunteer, std::shared_ptr<grpc::Channel> orgs,
                prometheus::Registry& registry, Options options);

  void Start() { loop_.Start(); }
  void Stop() { loop_.Stop(); }
  // Everything due now, batch by batch; the number of rows done.
  absl::StatusOr<int> DeliverDue();

 private:
  // The receiver's answer: OK, a refusal for good, or an error worth retrying.
  grpc::Status Send(const Delivery& delivery, std::string& result);
  void Prepare(grpc::ClientContext& context, const char* role) const;

  const ServiceEnv& env_;
  DeliveryStore& store_;
  std::unique_ptr<volunteer::v1::CreditService::Stub> credits_;
  std::unique_ptr<orgs::v1::ResourceMatchingService::Stub> needs_;
  const Options options_;
  prometheus::Family<prometheus::Counter>& outcomes_;
  prometheus::Gauge& pending_;
  prometheus::Counter& failures_;
  BackgroundLoop loop_;
};

// A receiver's status that retrying cannot change.
bool RefusedForGood(grpc::StatusCode code);
// The wait before attempt `attempts + 1`: doubling from `min`, at most `max`.
absl::Duration Backoff(int attempts, absl::Duration min, absl::Duration max);

}  // namespace grassroots::dualreg
