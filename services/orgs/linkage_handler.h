#pragma once

#include "common/server/service_env.h"
#include "grassroots/orgs/v1/linkage.grpc.pb.h"
#include "services/orgs/linkage_store.h"

namespace grassroots::orgs {

// gRPC edge of linkage (包联): links, their problems and the summary.
class LinkageHandler final : public v1::LinkageService::CallbackService {
 public:
  LinkageHandler(const ServiceEnv& env, LinkageStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* CreateLink(grpc::CallbackServerContext* context,
                                       const v1::CreateLinkRequest* request,
                                       v1::Link* response) override;
  grpc::ServerUnaryReactor* GetLink(grpc::CallbackServerContext* context,
                                    const v1::GetLinkRequest* request, v1::Link* response) override;
  grpc::ServerUnaryReactor* ListLinks(grpc::CallbackServerContext* context,
                                      const v1::ListLinksRequest* request,
                                      v1::ListLinksResponse* response) override;
  grpc::ServerUnaryReactor* EndLink(grpc::CallbackServerContext* context,
                                    const v1::EndLinkRequest* request, v1::Link* response) override;
  grpc::ServerUnaryReactor* RaiseProblem(grpc::CallbackServerContext* context,
                                         const v1::RaiseProblemRequest* request,
                                         v1::LinkageProblem* response) override;
  grpc::ServerUnaryReactor* SolveProblem(grpc::CallbackServerContext* context,
                                         const v1::SolveProblemRequest* request,
                                         v1::LinkageProblem* response) override;
  grpc::ServerUnaryReactor* CloseProblem(grpc::CallbackServerContext* context,
                                         const v1::CloseProblemRequest* request,
                                         v1::LinkageProblem* response) override;
  grpc::ServerUnaryReactor* GetProblem(grpc::CallbackServerContext* context,
                                       const v1::GetProblemRequest* request,
                                       v1::LinkageProblem* response) override;
  grpc::ServerUnaryReactor* ListProblems(grpc::CallbackServerContext* context,
                                         const v1::ListProblemsRequest* request,
                                         v1::ListProblemsResponse* response) override;
  grpc::ServerUnaryReactor* GetLinkageSummary(grpc::CallbackServerContext* context,
                                              const v1::GetLinkageSummaryRequest* request,
                                              v1::LinkageSummary* response) override;

 private:
  grpc::ServerUnaryReactor* Resolve(grpc::CallbackServerContext* context, const std::string& id,
                                    const std::string& etag, const std::string& date_field,
                                    const std::string& date, const std::string& text_field,
                                    const std::string& text, v1::LinkageProblem::State to,
                                    v1::LinkageProblem* response);

  const ServiceEnv& env_;
  LinkageStore& store_;
};

}  // namespace grassroots::orgs
