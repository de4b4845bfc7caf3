#pragma once

#include "common/server/service_env.h"
#include "common/time/clock.h"
#include "grassroots/volunteer/v1/expiry.grpc.pb.h"
#include "services/volunteer/business_metrics.h"
#include "services/volunteer/expiry_store.h"

namespace grassroots::volunteer {

// gRPC edge of points expiry. Expiry transfers are dated, and the as-of
// date bounded, by `clock` (passed in apart from the credentials' clock so
// a test can expire three years ahead).
class ExpiryHandler final : public v1::PointsExpiryService::CallbackService {
 public:
  ExpiryHandler(const ServiceEnv& env, ExpiryStore& store, const Clock& clock,
                BusinessMetrics& metrics)
      : env_(env), store_(store), clock_(clock), metrics_(metrics) {}

  grpc::ServerUnaryReactor* SetExpiryRule(grpc::CallbackServerContext* context,
                                          const v1::SetExpiryRuleRequest* request,
                                          v1::ExpiryRule* response) override;
  grpc::ServerUnaryReactor* GetExpiryRule(grpc::CallbackServerContext* context,
                                          const v1::GetExpiryRuleRequest* request,
                                          v1::ExpiryRule* response) override;
  grpc::ServerUnaryReactor* ExpirePoints(grpc::CallbackServerContext* context,
                                         const v1::ExpirePointsRequest* request,
                                         v1::ExpirePointsResponse* response) override;

 private:
  const ServiceEnv& env_;
  ExpiryStore& store_;
  const Clock& clock_;
  BusinessMetrics& metrics_;
};

// Runs an expiry run: its answer, and the points counted per street.
absl::StatusOr<v1::ExpirePointsResponse> RunExpiry(ExpiryStore& store, BusinessMetrics& metrics,
                                                   const std::string& scope,
                                                   const WriteContext& write, absl::CivilDay as_of);

}  // namespace grassroots::volunteer
