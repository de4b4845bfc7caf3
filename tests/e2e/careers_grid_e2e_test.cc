// careers' training rule reaching grid, with the real processes: an
// untrained worker cannot be assigned a case; after passing post training
// (learnt from careers' qualification feed) they can, and go on being
// assignable with careers stopped, while case reporting goes on too; and a
// worker trained after careers restarts is learnt when grid catches up.
// Worker records go through the gateway on both edges, masked.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/sha256.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/careers/v1/training.grpc.pb.h"
#include "grassroots/careers/v1/worker.grpc.pb.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "grassroots/grid/v1/case_assignment.grpc.pb.h"
#include "grassroots/grid/v1/grid.grpc.pb.h"
#include "tests/e2e/grid_gateway_fixture.h"
#include "tests/support/test_server.h"

namespace grassroots::testing {
namespace {

constexpr char kCareersPersonalDataKey[] = "e2e-careers-personal-data-key-0123456789abcdef";

class CareersGridTest : public GridGatewayTest {
 protected:
  void SetUp() override {
    careers_port_ = PickFreePort();
    careers_db_ = FreshSchema("e2e_careers");
    StartCareers();
    extra_grid_args_ = {absl::StrCat("--careers-address=127.0.0.1:", careers_port_),
                        "--careers-feed-interval-ms=100"};
    extra_routes_ = absl::StrCat(",grassroots.careers.v1=127.0.0.1:", careers_port_);
    extra_keys_ = absl::StrCat("careers-hr ", Sha256Hex("careers-secret"), " careers.admin -\n");
    GridGatewayTest::SetUp();
  }

  void StartCareers() {
    careers_ = std::make_unique<ChildProcess>(ServiceArgs(GRASSROOTS_CAREERS_BINARY, careers_port_,
                                                          careers_db_, kCareersPersonalDataKey));
  }
  void StopCareers() { EXPECT_EQ(careers_->Terminate(), 0); }

  // Waits until grid has applied careers' feed up to the worker's latest
  // change (qualified_alone as expected); false after 10 s.
  bool GridLearns(const std::string& worker_id, bool qualified_alone) {
    auto assignments = grid::v1::CaseAssignmentService::NewStub(GatewayChannel());
    for (int i = 0; i < 200; ++i) {
      grid::v1::GetWorkerQualificationRequest request;
      request.set_worker_id(worker_id);
      grid::v1::WorkerQualification q;
      if (assignments->GetWorkerQualification(Context("city-secret").get(), request, &q).ok() &&
          q.known() && q.qualified_alone() == qualified_alone) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  // Calls `call` until it is not UNAVAILABLE (up to 10 s), as clients
  // retry: right after careers restarts, the gateway may still be
  // reconnecting to it.
  template <typename Call>
  grpc::Status Retrying(Call call) {
    grpc::Status status;
    for (int i = 0; i < 100; ++i) {
      status = call();
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return status;
  }

  // A worker made through the gateway's gRPC edge with the careers key.
  careers::v1::Worker NewWorker(const std::string& community, const std::string& id_number) {
    auto workers = careers::v1::WorkerService::NewStub(GatewayChannel());
    careers::v1::CreateWorkerRequest request;
    careers::v1::Worker* w = request.mutable_worker();
    w->set_community_path(community);
    w->set_name("李建国");
    w->set_id_number(id_number);
    w->set_post(careers::v1::POST_FULL_TIME_STAFF);
    w->set_grade(1);
    w->set_entry_channel(careers::v1::ENTRY_EXTERNAL_RECRUITMENT);
    w->set_hire_date("2025-03-01");
    request.set_request_id(absl::StrCat("e2e-", id_number));
    careers::v1::Worker made;
    grpc::Status status = Retrying(
        [&] { return workers->CreateWorker(Context("careers-secret").get(), request, &made); });
    EXPECT_TRUE(status.ok()) << status.error_message();
    return made;
  }

  void PassPostTraining(const std::string& worker_id, const std::string& course_id) {
    auto training = careers::v1::TrainingService::NewStub(GatewayChannel());
    careers::v1::RecordTrainingResultRequest request;
    request.mutable_result()->set_worker_id(worker_id);
    request.mutable_result()->set_course_id(course_id);
    request.mutable_result()->set_hours_attended(24);
    request.mutable_result()->set_passed(true);
    request.mutable_result()->set_score(90);
    request.mutable_result()->set_completion_date("2025-04-01");
    careers::v1::TrainingResult recorded;
    // Refused connections never reached careers, so a retry records once.
    grpc::Status status = Retrying([&] {
      return training->RecordTrainingResult(Context("careers-secret").get(), request, &recorded);
    });
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // A case reported in the grid (the category and its department made first).
  std::string ReportCase(const std::string& grid_id, const std::string& request_id) {
    auto cases = grid::v1::CaseService::NewStub(GatewayChannel());
    grid::v1::ReportCaseRequest request;
    auto* c = request.mutable_case_();
    c->set_kind(grid::v1::Case::INCIDENT);
    c->set_source(grid::v1::Case::GRID_WORKER);
    c->set_category_code("PILED_RUBBISH");
    c->set_grid_id(grid_id);
    c->set_latitude(30.27);
    c->set_longitude(120.15);
    c->set_description("rubbish piled by the gate");
    request.set_request_id(request_id);
    grid::v1::ReportCaseResponse reported;
    grpc::Status status = cases->ReportCase(Context("reporter-secret").get(), request, &reported);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return reported.case_().id();
  }

  grpc::Status Assign(const std::string& case_id, const std::string& worker_id) {
    auto assignments = grid::v1::CaseAssignmentService::NewStub(GatewayChannel());
    grid::v1::AssignCaseRequest request;
    request.set_case_id(case_id);
    request.set_worker_id(worker_id);
    grid::v1::CaseAssignment made;
    return assignments->AssignCase(Context("dispatcher-secret").get(), request, &made);
  }

  int careers_port_ = 0;
  db::DbOptions careers_db_;
  std::unique_ptr<ChildProcess> careers_;
};

TEST_F(CareersGridTest, AnUntrainedWorkerIsRefusedUntilTrainedAndCareersMayBeDown) {
  const std::string d = CreateArea(orgs::v1::DISTRICT, "ge-d", "");
  const std::string c1 =
      CreateArea(orgs::v1::COMMUNITY, "c1", CreateArea(orgs::v1::STREET, "s1", d));
  auto grids = grid::v1::GridService::NewStub(GatewayChannel());
  grid::v1::CreateGridRequest create;
  create.mutable_grid()->set_code("g01");
  create.mutable_grid()->set_display_name("Grid");
  create.mutable_grid()->set_community_id(c1);
  grid::v1::Grid g;
  ASSERT_TRUE(grids->CreateGrid(Context("city-secret").get(), create, &g).ok());
  auto dept = PostJson("/grassroots.grid.v1.CaseSetupService/CreateDepartment",
                       R"({"department":{"code":"SANITATION","name":"Sanitation",)"
                       R"("areaPath":"ge-d"}})",
                       "city-secret");
  ASSERT_EQ(dept.status, 200) << dept.body;
  grid::v1::Department department;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(dept.body, &department).ok());
  auto category =
      PostJson("/grassroots.grid.v1.CaseSetupService/CreateCategory",
               absl::StrCat(R"({"category":{"code":"PILED_RUBBISH","name":"Piled rubbish",)",
                            R"("kind":"INCIDENT","departmentId":")", department.id(),
                            R"(","deadlines":{"registerMinutes":60,"dispatchMinutes":30,)",
                            R"("acceptMinutes":60,"handleMinutes":480,"verifyMinutes":120}}})"),
               "city-secret");
  ASSERT_EQ(category.status, 200) << category.body;
  const std::string first_case = ReportCase(g.id(), "cg-1");

  // A new worker, on the JSON edge: masked, not qualified; grid learns it.
  auto made = PostJson("/grassroots.careers.v1.WorkerService/CreateWorker",
                       R"({"worker":{"communityPath":"ge-d/s1/c1","name":"王秀英",)"
                       R"("idNumber":"110101199003071233","post":"POST_COMMITTEE_MEMBER",)"
                       R"("grade":2,"entryChannel":"ENTRY_INTERNAL_SELECTION",)"
                       R"("hireDate":"2025-02-01"}})",
                       "careers-secret");
  ASSERT_EQ(made.status, 200) << made.body;
  EXPECT_EQ(made.body.find("王秀英"), std::string::npos) << made.body;
  EXPECT_EQ(made.body.find("110101199003071233"), std::string::npos) << made.body;
  EXPECT_NE(made.body.find("\"maskedName\":\"王*英\""), std::string::npos) << made.body;
  const std::string worker_id = NewWorker("ge-d/s1/c1", "110101198506120020").id();
  ASSERT_FALSE(worker_id.empty());
  ASSERT_TRUE(GridLearns(worker_id, false));
  grpc::Status refused = Assign(first_case, worker_id);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("may not work alone"), std::string::npos)
      << refused.error_message();

  // Post training passed in careers; grid learns it from the feed.
  auto training = careers::v1::TrainingService::NewStub(GatewayChannel());
  careers::v1::CreateCourseRequest course;
  course.mutable_course()->set_region_path("ge-d");
  course.mutable_course()->set_title("岗前培训");
  course.mutable_course()->set_kind(careers::v1::COURSE_POST_TRAINING);
  course.mutable_course()->set_year(2025);
  course.mutable_course()->set_hours(24);
  careers::v1::Course made_course;
  ASSERT_TRUE(training->CreateCourse(Context("careers-secret").get(), course, &made_course).ok());
  PassPostTraining(worker_id, made_course.id());
  ASSERT_TRUE(GridLearns(worker_id, true));

  // careers stops: reporting and assigning go on with what grid learnt.
  StopCareers();
  const std::string second_case = ReportCase(g.id(), "cg-2");
  ASSERT_FALSE(second_case.empty());
  EXPECT_TRUE(Assign(first_case, worker_id).ok());
  EXPECT_TRUE(Assign(second_case, worker_id).ok());
  careers::v1::GetWorkerRequest get;
  get.set_id(worker_id);
  careers::v1::Worker read;
  EXPECT_EQ(careers::v1::WorkerService::NewStub(GatewayChannel())
                ->GetWorker(Context("careers-secret").get(), get, &read)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);

  // careers is back: a worker trained now is learnt when grid catches up.
  StartCareers();
  std::string newcomer;
  for (int i = 0; i < 100 && newcomer.empty(); ++i) {
    careers::v1::GetCourseRequest ping;
    ping.set_id(made_course.id());
    careers::v1::Course seen;
    if (training->GetCourse(Context("careers-secret").get(), ping, &seen).ok()) {
      newcomer = NewWorker("ge-d/s1/c1", "110101199201010036").id();
    } else {
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  ASSERT_FALSE(newcomer.empty()) << "careers did not come back";
  EXPECT_EQ(Assign(second_case, newcomer).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  PassPostTraining(newcomer, made_course.id());
  ASSERT_TRUE(GridLearns(newcomer, true));
  EXPECT_TRUE(Assign(second_case, newcomer).ok());
}

}  // namespace
}  // namespace grassroots::testing
