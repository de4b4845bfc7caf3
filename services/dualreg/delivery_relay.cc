#include "services/dualreg/delivery_relay.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/onward_call.h"

namespace grassroots::dualreg {

bool RefusedForGood(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::OUT_OF_RANGE:
      return true;
    default:
      return false;
  }
}

absl::Duration Backoff(int attempts, absl::Duration min, absl::Duration max) {
  absl::Duration wait = min;
  for (int i = 0; i < attempts && wait < max; ++i) wait *= 2;
  return std::min(wait, max);
}

DeliveryRelay::DeliveryRelay(const ServiceEnv& env, DeliveryStore& store,
                             std::shared_ptr<grpc::Channel> volunteer,
                             std::shared_ptr<grpc::Channel> orgs, prometheus::Registry& registry,
                             Options options)
    : env_(env),
      store_(store),
      credits_(volunteer::v1::CreditService::NewStub(volunteer)),
      needs_(orgs::v1::ResourceMatchingService::NewStub(orgs)),
      options_(options),
      outcomes_(prometheus::BuildCounter()
                    .Name("dualreg_deliveries_total")
                    .Help("Outbox deliveries to other services by kind and outcome (delivered, "
                          "refused, retried)")
                    .Register(registry)),
      pending_(prometheus::BuildGauge()
                   .Name("dualreg_outbox_pending")
                   .Help("Outbox rows not yet delivered (credits and needs)")
                   .Register(registry)
                   .Add({})),
      failures_(prometheus::BuildCounter()
                    .Name("dualreg_relay_failures_total")
                    .Help("Relay rounds that could not read or mark the outbox")
                    .Register(registry)
                    .Add({})),
      loop_(*env.log, "deliver the outbox", failures_, options.interval,
            [this] { return DeliverDue().status(); }) {}

void DeliveryRelay::Prepare(grpc::ClientContext& context, const char* role) const {
  PrepareServiceCall(context, *env_.principals, "dualreg:relay", role, options_.deadline);
}

grpc::Status DeliveryRelay::Send(const Delivery& delivery, std::string& result) {
  grpc::ClientContext context;
  if (delivery.kind == DeliveryKind::kCredit) {
    Prepare(context, "system.credits");
    volunteer::v1::CreditEventRequest request;
    if (!request.ParseFromString(delivery.payload)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unreadable credit payload");
    }
    volunteer::v1::Credit credit;
    grpc::Status status = credits_->CreditEvent(&context, request, &credit);
    result = credit.transfer_id();
    return status;
  }
  Prepare(context, "orgs.editor");
  orgs::v1::PublishNeedRequest request;
  if (!request.ParseFromString(delivery.payload)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unreadable need payload");
  }
  context.AddMetadata("x-request-id", request.request_id());
  orgs::v1::CommunityNeed need;
  grpc::Status status = needs_->PublishNeed(&context, request, &need);
  result = need.id();
  return status;
}

absl::StatusOr<int> DeliveryRelay::DeliverDue() {
  int done = 0;
  for (;;) {
    const absl::Time now = env_.clock->Now();
    auto due = store_.Due(now, options_.batch);
    if (!due.ok()) return due.status();
    int retried = 0;
    for (const Delivery& delivery : *due) {
      std::string result;
      const grpc::Status status = Send(delivery, result);
      const char* kind = delivery.kind == DeliveryKind::kCredit ? "credit" : "need";
      absl::Status marked;
      const char* outcome = "delivered";
      if (status.ok()) {
        marked = store_.MarkDelivered(delivery, result, env_.clock->Now());
        ++done;
      } else if (RefusedForGood(status.error_code())) {
        outcome = "refused";
        marked = store_.MarkRefused(delivery, status.error_message(), env_.clock->Now());
        env_.log->Warn("an outbox delivery was refused for good",
                       {{"event_id", delivery.event_id}, {"error", status.error_message()}});
        ++done;
      } else {
        outcome = "retried";
        ++retried;
        marked =
            store_.MarkRetry(delivery, status.error_message(),
                             env_.clock->Now() + Backoff(delivery.attempts, options_.min_backoff,
                                                         options_.max_backoff));
      }
      if (!marked.ok()) return marked;
      outcomes_.Add({{"kind", kind}, {"outcome", outcome}}).Increment();
    }
    // A full batch all delivered: more may be due at once.
    if (static_cast<int>(due->size()) < options_.batch || retried > 0) break;
  }
  auto pending = store_.PendingCount();
  if (pending.ok()) pending_.Set(static_cast<double>(*pending));
  return done;
}

}  // namespace grassroots::dualreg
