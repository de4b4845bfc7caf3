#pragma once

#include "common/server/service_env.h"
#include "grassroots/volunteer/v1/credit.grpc.pb.h"
#include "services/volunteer/business_metrics.h"
#include "services/volunteer/credit_store.h"

namespace grassroots::volunteer {

// gRPC edge of inbound credits from other services, and of good deeds
// (credits whose points come from the community's rule).
class CreditHandler final : public v1::CreditService::CallbackService {
 public:
  CreditHandler(const ServiceEnv& env, CreditStore& store, BusinessMetrics& metrics)
      : env_(env), store_(store), metrics_(metrics) {}

  grpc::ServerUnaryReactor* CreditEvent(grpc::CallbackServerContext* context,
                                        const v1::CreditEventRequest* request,
                                        v1::Credit* response) override;
  grpc::ServerUnaryReactor* RecordGoodDeed(grpc::CallbackServerContext* context,
                                           const v1::RecordGoodDeedRequest* request,
                                           v1::Credit* response) override;

 private:
  const ServiceEnv& env_;
  CreditStore& store_;
  BusinessMetrics& metrics_;
};

}  // namespace grassroots::volunteer
