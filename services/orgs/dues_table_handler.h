#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/dues.grpc.pb.h"
#include "services/orgs/dues_table_store.h"

namespace grassroots::orgs {

// gRPC edge of the yearly dues tables.
class DuesTableHandler final : public v1::DuesTableService::CallbackService {
 public:
  DuesTableHandler(const ServiceEnv& env, DuesTableStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* GetDuesTable(grpc::CallbackServerContext* context,
                                         const v1::GetDuesTableRequest* request,
                                         v1::DuesTable* response) override;
  grpc::ServerUnaryReactor* SetDuesTable(grpc::CallbackServerContext* context,
                                         const v1::SetDuesTableRequest* request,
                                         v1::DuesTable* response) override;

 private:
  const ServiceEnv& env_;
  DuesTableStore& store_;
};

// The year a request means: `year`, or the clock's year for 0; refused
// outside 1921-2200.
absl::StatusOr<int> DuesYear(int year, const Clock& clock);

}  // namespace grassroots::orgs
