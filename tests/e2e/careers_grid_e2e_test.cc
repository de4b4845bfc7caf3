// careers' training rule reaching grid, with the real processes: an
// untrained worker cannot be assigned a case; after passing post training
// (learnt from careers' qualification feed) they can, and go on being
// assignable with careers stopped, while case reporting goes on too; and a
// worker trained after careers restarts is learnt when grid catches up.
// Worker records go through the gateway on both edges, masked. And the
// annual assessment: careers asks the running grid for the cases the
// worker collected, one worker at a time and a street's at once.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/crypto/sha256.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/careers/v1/assessment.grpc.pb.h"
#include "grassroots/careers/v1/training.grpc.pb.h"
#include "grassroots/careers/v1/worker.grpc.pb.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "grassroots/grid/v1/case_assignment.grpc.pb.h"
#include "grassroots/grid/v1/case_figures.grpc.pb.h"
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
    grid_port_ = PickFreePort();  // careers asks grid for assessments' case figures
    careers_db_ = FreshSchema("e2e_careers");
    StartCareers();
    extra_grid_args_ = {absl::StrCat("--careers-address=127.0.0.1:", careers_port_),
                        "--careers-feed-interval-ms=100"};
    extra_routes_ = absl::StrCat(",grassroots.careers.v1=127.0.0.1:", careers_port_);
    extra_keys_ = absl::StrCat("careers-hr ", Sha256Hex("careers-secret"), " careers.admin -\n");
    GridGatewayTest::SetUp();
  }

  void StartCareers() {
    std::vector<std::string> args =
        ServiceArgs(GRASSROOTS_CAREERS_BINARY, careers_port_, careers_db_, kCareersPersonalDataKey);
    args.push_back(absl::StrCat("--grid-address=127.0.0.1:", grid_port_));
    careers_ = std::make_unique<ChildProcess>(args);
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

  // District ge-d, street s1, community c1 with grid g01, and the case
  // category PILED_RUBBISH with its department; the grid's id.
  std::string MakeGridWithCategory() {
    const std::string d = CreateArea(orgs::v1::DISTRICT, "ge-d", "");
    const std::string c1 =
        CreateArea(orgs::v1::COMMUNITY, "c1", CreateArea(orgs::v1::STREET, "s1", d));
    auto grids = grid::v1::GridService::NewStub(GatewayChannel());
    grid::v1::CreateGridRequest create;
    create.mutable_grid()->set_code("g01");
    create.mutable_grid()->set_display_name("Grid");
    create.mutable_grid()->set_community_id(c1);
    grid::v1::Grid g;
    EXPECT_TRUE(grids->CreateGrid(Context("city-secret").get(), create, &g).ok());
    auto dept = PostJson("/grassroots.grid.v1.CaseSetupService/CreateDepartment",
                         R"({"department":{"code":"SANITATION","name":"Sanitation",)"
                         R"("areaPath":"ge-d"}})",
                         "city-secret");
    EXPECT_EQ(dept.status, 200) << dept.body;
    grid::v1::Department department;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(dept.body, &department).ok());
    auto category =
        PostJson("/grassroots.grid.v1.CaseSetupService/CreateCategory",
                 absl::StrCat(R"({"category":{"code":"PILED_RUBBISH","name":"Piled rubbish",)",
                              R"("kind":"INCIDENT","departmentId":")", department.id(),
                              R"(","deadlines":{"registerMinutes":60,"dispatchMinutes":30,)",
                              R"("acceptMinutes":60,"handleMinutes":480,"verifyMinutes":120}}})"),
                 "city-secret");
    EXPECT_EQ(category.status, 200) << category.body;
    return g.id();
  }

  // A case reported in the grid (the category and its department made
  // first), as collected by the grid worker `reporter_ref` when set.
  std::string ReportCase(const std::string& grid_id, const std::string& request_id,
                         const std::string& reporter_ref = "") {
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
    c->set_reporter_ref(reporter_ref);
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

  // Takes the case through every step to closed, then rated `satisfaction`.
  void CloseAndRate(const std::string& case_id, int satisfaction) {
    auto cases = grid::v1::CaseService::NewStub(GatewayChannel());
    grid::v1::CaseStepRequest step;
    step.set_case_id(case_id);
    grid::v1::Case c;
    ASSERT_TRUE(cases->RegisterCase(Context("supervisor-secret").get(), step, &c).ok());
    grid::v1::DispatchCaseRequest dispatch;
    *dispatch.mutable_step() = step;
    ASSERT_TRUE(cases->DispatchCase(Context("dispatcher-secret").get(), dispatch, &c).ok());
    ASSERT_TRUE(cases->AcceptCase(Context("handler-secret").get(), step, &c).ok());
    step.set_note("rubbish cleared");
    ASSERT_TRUE(cases->ReportCaseHandled(Context("handler-secret").get(), step, &c).ok());
    grid::v1::VerifyCaseRequest verify;
    *verify.mutable_step() = step;
    verify.set_passed(true);
    ASSERT_TRUE(cases->VerifyCase(Context("supervisor-secret").get(), verify, &c).ok());
    ASSERT_TRUE(cases->CloseCase(Context("supervisor-secret").get(), step, &c).ok());
    grid::v1::EvaluateCaseRequest evaluate;
    *evaluate.mutable_step() = step;
    evaluate.set_resolution(grid::v1::Case::FIXED);
    evaluate.set_satisfaction(satisfaction);
    grpc::Status rated = cases->EvaluateCase(Context("reporter-secret").get(), evaluate, &c);
    ASSERT_TRUE(rated.ok()) << rated.error_message();
  }

  int careers_port_ = 0;
  db::DbOptions careers_db_;
  std::unique_ptr<ChildProcess> careers_;
};

TEST_F(CareersGridTest, AnUntrainedWorkerIsRefusedUntilTrainedAndCareersMayBeDown) {
  const std::string grid_id = MakeGridWithCategory();
  ASSERT_FALSE(HasFailure());
  const std::string first_case = ReportCase(grid_id, "cg-1");

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
  const std::string second_case = ReportCase(grid_id, "cg-2");
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

TEST_F(CareersGridTest, AnAssessmentWeighsTheCasesTheWorkerCollectedInGrid) {
  const std::string grid_id = MakeGridWithCategory();
  ASSERT_FALSE(HasFailure());
  const std::string worker_id = NewWorker("ge-d/s1/c1", "110101198506120020").id();
  const std::string other_id = NewWorker("ge-d/s1/c1", "110101199201010036").id();
  ASSERT_FALSE(worker_id.empty() || other_id.empty());
  // One case the worker collected, closed on time and rated 4 of 5.
  CloseAndRate(ReportCase(grid_id, "ca-1", worker_id), 4);
  ASSERT_FALSE(HasFailure());
  const int year = absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year();

  // grid counts it a second or so after the step commits.
  auto figures = grid::v1::CaseFiguresService::NewStub(GatewayChannel());
  grid::v1::GetCaseFiguresRequest mine;
  mine.set_area_path("ge-d/s1/c1");
  mine.set_worker_ref(worker_id);
  mine.mutable_period()->set_start_date(absl::StrCat(year, "-01-01"));
  mine.mutable_period()->set_end_date(absl::StrCat(year, "-12-31"));
  bool counted = false;
  for (int i = 0; i < 100 && !counted; ++i) {
    grid::v1::GetCaseFiguresResponse read;
    counted = figures->GetCaseFigures(Context("viewer-secret").get(), mine, &read).ok() &&
              read.figures_size() == 1 && read.figures(0).evaluated() == 1;
    if (!counted) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(counted) << "grid did not count the worker's case";

  auto assessments = careers::v1::AssessmentService::NewStub(GatewayChannel());
  careers::v1::RecordAssessmentRequest record;
  record.set_worker_id(worker_id);
  record.set_year(year);
  record.set_self_review_score(90);
  record.set_field_visit_score(90);
  record.set_survey_score(90);
  record.set_request_id("assess-1");
  careers::v1::Assessment assessed;
  grpc::Status status =
      assessments->RecordAssessment(Context("careers-secret").get(), record, &assessed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(assessed.case_performance().handled(), 1);
  EXPECT_EQ(assessed.case_performance().on_time(), 1);
  EXPECT_EQ(assessed.case_performance().evaluated(), 1);
  EXPECT_EQ(assessed.case_performance().satisfaction_sum(), 4);
  // 60 on time + 40 × (4 − 1) ÷ 4 = 90 for the cases; 90 everywhere.
  EXPECT_DOUBLE_EQ(assessed.case_performance().score(), 90.0);
  EXPECT_EQ(assessed.weighted_score_tenths(), 900);
  EXPECT_EQ(assessed.result(), careers::v1::ASSESSMENT_EXCELLENT);

  // The street at once: the one assessed is left, the other is weighed
  // with no case (grid asked once, for the community).
  auto area = PostJson(
      "/grassroots.careers.v1.AssessmentService/AssessArea",
      absl::StrCat(R"({"path":"ge-d/s1","year":)", year, R"(,"scores":[)", R"({"workerId":")",
                   worker_id, R"(","selfReviewScore":10,"fieldVisitScore":10,"surveyScore":10},)",
                   R"({"workerId":")", other_id,
                   R"(","selfReviewScore":70,"fieldVisitScore":80,"surveyScore":60}]})"),
      "careers-secret");
  ASSERT_EQ(area.status, 200) << area.body;
  careers::v1::AssessAreaSummary summary;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(area.body, &summary).ok()) << area.body;
  EXPECT_EQ(summary.workers(), 2);
  EXPECT_EQ(summary.assessed(), 1);
  EXPECT_EQ(summary.already_assessed(), 1);
  EXPECT_EQ(summary.grid_calls(), 1);
  EXPECT_EQ(summary.basically_competent(), 1);  // (14 + 16 + 18) ÷ 0.7 = 68.6

  auto proposals =
      PostJson("/grassroots.careers.v1.AssessmentService/ListAssessmentProposals",
               absl::StrCat(R"({"pathPrefix":"ge-d/s1","year":)", year, "}"), "careers-secret");
  ASSERT_EQ(proposals.status, 200) << proposals.body;
  EXPECT_NE(proposals.body.find(R"("gradeStep":true)"), std::string::npos) << proposals.body;
}

}  // namespace
}  // namespace grassroots::testing
