#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/dues.grpc.pb.h"
#include "services/orgs/dues_rules.h"
#include "services/orgs/dues_store.h"
#include "services/orgs/dues_table_store.h"

namespace grassroots::orgs {

// gRPC edge of party dues.
class DuesHandler final : public v1::DuesService::CallbackService {
 public:
  // With `tables`, ComputeMonthlyDues uses the table in force in the year
  // asked; without, the national table.
  DuesHandler(const ServiceEnv& env, DuesStore& store, const DuesTableStore* tables = nullptr)
      : env_(env), store_(store), tables_(tables) {}

  grpc::ServerUnaryReactor* ComputeMonthlyDues(grpc::CallbackServerContext* context,
                                               const v1::ComputeMonthlyDuesRequest* request,
                                               v1::ComputeMonthlyDuesResponse* response) override;
  grpc::ServerUnaryReactor* RecordDuesPayment(grpc::CallbackServerContext* context,
                                              const v1::RecordDuesPaymentRequest* request,
                                              v1::DuesPayment* response) override;
  grpc::ServerUnaryReactor* GetDuesStatus(grpc::CallbackServerContext* context,
                                          const v1::GetDuesStatusRequest* request,
                                          v1::DuesStatus* response) override;
  grpc::ServerUnaryReactor* ListDuesArrears(grpc::CallbackServerContext* context,
                                            const v1::ListDuesArrearsRequest* request,
                                            v1::ListDuesArrearsResponse* response) override;

 private:
  absl::CivilMonth CurrentMonth() const;

  const ServiceEnv& env_;
  DuesStore& store_;
  const DuesTableStore* const tables_;
};

}  // namespace grassroots::orgs
