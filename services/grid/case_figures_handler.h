#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/case_figures.grpc.pb.h"
#include "services/grid/case_figure_store.h"
#include "services/grid/case_setup_store.h"
#include "services/grid/case_store.h"
#include "services/grid/grid_store.h"

namespace grassroots::grid {

// gRPC edge of the live figures: where the caller may look, the period,
// then the figures store (or the cases behind a figure).
class CaseFiguresHandler final : public v1::CaseFiguresService::CallbackService {
 public:
  CaseFiguresHandler(const ServiceEnv& env, CaseFigureStore& figures, CaseStore& cases,
                     GridStore& grids, CaseSetupStore& setup)
      : env_(env), figures_(figures), cases_(cases), grids_(grids), setup_(setup) {}

  grpc::ServerUnaryReactor* GetCaseFigures(grpc::CallbackServerContext* context,
                                           const v1::GetCaseFiguresRequest* request,
                                           v1::GetCaseFiguresResponse* response) override;
  grpc::ServerUnaryReactor* ListFigureCases(grpc::CallbackServerContext* context,
                                            const v1::ListFigureCasesRequest* request,
                                            v1::ListCasesResponse* response) override;
  grpc::ServerUnaryReactor* RateDepartment(grpc::CallbackServerContext* context,
                                           const v1::RateDepartmentRequest* request,
                                           v1::DepartmentRating* response) override;

 private:
  // The path the figures are read under: the grid's, the area's, or the
  // caller's scope.
  absl::StatusOr<std::string> AreaOf(const std::string& scope, const std::string& grid_id,
                                     const std::string& area_path);
  absl::Status CheckDepartment(const std::string& department_id);

  const ServiceEnv& env_;
  CaseFigureStore& figures_;
  CaseStore& cases_;
  GridStore& grids_;
  CaseSetupStore& setup_;
};

}  // namespace grassroots::grid
