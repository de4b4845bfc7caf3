#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "services/grid/case_setup_store.h"

namespace grassroots::grid {

// gRPC edge of categories, departments and working calendars.
class CaseSetupHandler final : public v1::CaseSetupService::CallbackService {
 public:
  CaseSetupHandler(const ServiceEnv& env, CaseSetupStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* CreateCategory(grpc::CallbackServerContext* context,
                                           const v1::CreateCategoryRequest* request,
                                           v1::CaseCategory* response) override;
  grpc::ServerUnaryReactor* GetCategory(grpc::CallbackServerContext* context,
                                        const v1::GetCategoryRequest* request,
                                        v1::CaseCategory* response) override;
  grpc::ServerUnaryReactor* ListCategories(grpc::CallbackServerContext* context,
                                           const v1::ListCategoriesRequest* request,
                                           v1::ListCategoriesResponse* response) override;
  grpc::ServerUnaryReactor* CreateDepartment(grpc::CallbackServerContext* context,
                                             const v1::CreateDepartmentRequest* request,
                                             v1::Department* response) override;
  grpc::ServerUnaryReactor* ListDepartments(grpc::CallbackServerContext* context,
                                            const v1::ListDepartmentsRequest* request,
                                            v1::ListDepartmentsResponse* response) override;
  grpc::ServerUnaryReactor* SetWorkCalendar(grpc::CallbackServerContext* context,
                                            const v1::SetWorkCalendarRequest* request,
                                            v1::WorkCalendar* response) override;
  grpc::ServerUnaryReactor* GetWorkCalendar(grpc::CallbackServerContext* context,
                                            const v1::GetWorkCalendarRequest* request,
                                            v1::WorkCalendar* response) override;

 private:
  const ServiceEnv& env_;
  CaseSetupStore& store_;
};

}  // namespace grassroots::grid
