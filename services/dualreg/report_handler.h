#pragma once

#include "common/server/service_env.h"
#include "grassroots/dualreg/v1/report.grpc.pb.h"
#include "services/dualreg/business_metrics.h"
#include "services/dualreg/report_store.h"

namespace grassroots::dualreg {

// gRPC edge of reports to employers.
class ReportHandler final : public v1::EmployerReportService::CallbackService {
 public:
  ReportHandler(const ServiceEnv& env, ReportStore& store, BusinessMetrics& metrics)
      : env_(env), store_(store), metrics_(metrics) {}

  grpc::ServerUnaryReactor* CreateEmployerReport(grpc::CallbackServerContext* context,
                                                 const v1::CreateEmployerReportRequest* request,
                                                 v1::EmployerReport* response) override;
  grpc::ServerUnaryReactor* GetEmployerReport(grpc::CallbackServerContext* context,
                                              const v1::GetEmployerReportRequest* request,
                                              v1::EmployerReport* response) override;
  grpc::ServerUnaryReactor* AcknowledgeEmployerReport(
      grpc::CallbackServerContext* context, const v1::AcknowledgeEmployerReportRequest* request,
      v1::EmployerReport* response) override;

 private:
  const ServiceEnv& env_;
  ReportStore& store_;
  BusinessMetrics& metrics_;
};

}  // namespace grassroots::dualreg
