#pragma once

#include "common/server/service_env.h"
#include "grassroots/careers/v1/training.grpc.pb.h"
#include "services/careers/qualification_feed.h"
#include "services/careers/training_store.h"

namespace grassroots::careers {

// gRPC edge of training and the qualification feed.
class TrainingHandler final : public v1::TrainingService::CallbackService {
 public:
  TrainingHandler(const ServiceEnv& env, TrainingStore& store, QualificationFeed& feed)
      : env_(env), store_(store), feed_(feed) {}

  grpc::ServerUnaryReactor* CreateCourse(grpc::CallbackServerContext* context,
                                         const v1::CreateCourseRequest* request,
                                         v1::Course* response) override;
  grpc::ServerUnaryReactor* GetCourse(grpc::CallbackServerContext* context,
                                      const v1::GetCourseRequest* request,
                                      v1::Course* response) override;
  grpc::ServerUnaryReactor* RecordTrainingResult(grpc::CallbackServerContext* context,
                                                 const v1::RecordTrainingResultRequest* request,
                                                 v1::TrainingResult* response) override;
  grpc::ServerUnaryReactor* ListTrainingResults(grpc::CallbackServerContext* context,
                                                const v1::ListTrainingResultsRequest* request,
                                                v1::ListTrainingResultsResponse* response) override;
  grpc::ServerUnaryReactor* GetTrainingCoverage(grpc::CallbackServerContext* context,
                                                const v1::GetTrainingCoverageRequest* request,
                                                v1::TrainingCoverage* response) override;
  grpc::ServerUnaryReactor* ListQualificationChanges(
      grpc::CallbackServerContext* context, const v1::ListQualificationChangesRequest* request,
      v1::ListQualificationChangesResponse* response) override;

 private:
  const ServiceEnv& env_;
  TrainingStore& store_;
  QualificationFeed& feed_;
};

}  // namespace grassroots::careers
