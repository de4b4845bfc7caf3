#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/visit.grpc.pb.h"
#include "services/grid/visit_report_store.h"
#include "services/grid/visit_store.h"

namespace grassroots::grid {

// gRPC edge of visits and their reports.
class VisitHandler final : public v1::VisitService::CallbackService {
 public:
  VisitHandler(const ServiceEnv& env, VisitStore& visits, VisitReportStore& reports)
      : env_(env), visits_(visits), reports_(reports) {}

  grpc::ServerUnaryReactor* LogVisit(grpc::CallbackServerContext* context,
                                     const v1::LogVisitRequest* request,
                                     v1::Visit* response) override;
  grpc::ServerUnaryReactor* GetVisit(grpc::CallbackServerContext* context,
                                     const v1::GetVisitRequest* request,
                                     v1::Visit* response) override;
  grpc::ServerUnaryReactor* ListVisits(grpc::CallbackServerContext* context,
                                       const v1::ListVisitsRequest* request,
                                       v1::ListVisitsResponse* response) override;
  grpc::ServerUnaryReactor* ListOverdueVisits(grpc::CallbackServerContext* context,
                                              const v1::ListOverdueVisitsRequest* request,
                                              v1::ListOverdueVisitsResponse* response) override;
  grpc::ServerUnaryReactor* CountVisitsByWorker(grpc::CallbackServerContext* context,
                                                const v1::CountVisitsByWorkerRequest* request,
                                                v1::CountVisitsByWorkerResponse* response) override;

 private:
  const ServiceEnv& env_;
  VisitStore& visits_;
  VisitReportStore& reports_;
};

}  // namespace grassroots::grid
