// A case's whole life through the gateway, each step by the role the
// workflow gives it (the reporter, supervision, command, the department),
// on the JSON and the gRPC edge; the gateway refusing a step to a role
// that may not take it, and a street key refused another street's case.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "grassroots/grid/v1/case_figures.grpc.pb.h"
#include "grassroots/grid/v1/grid.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "tests/e2e/grid_gateway_fixture.h"

namespace grassroots {
namespace {

using testing::GridGatewayTest;

template <typename Message>
Message Parse(const std::string& json) {
  Message message;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &message).ok()) << json;
  return message;
}

std::string StepJson(const grid::v1::Case& c, const std::string& note = "") {
  return absl::StrCat(R"({"caseId":")", c.id(), R"(","etag":")", c.etag(), R"(","note":")", note,
                      R"("})");
}

TEST_F(GridGatewayTest, ACaseLivesThroughTheGatewayOneRoleAStep) {
  auto area = [&](orgs::v1::AreaKind kind, const std::string& code, const std::string& parent) {
    return CreateArea(kind, code, parent);
  };
  const std::string d = area(orgs::v1::DISTRICT, "ge-d", "");
  const std::string c1 = area(orgs::v1::COMMUNITY, "c1", area(orgs::v1::STREET, "s1", d));
  const std::string c2 = area(orgs::v1::COMMUNITY, "c2", area(orgs::v1::STREET, "s2", d));
  auto grids = grid::v1::GridService::NewStub(GatewayChannel());
  auto make_grid = [&](const std::string& community) {
    grid::v1::CreateGridRequest create;
    create.mutable_grid()->set_code("g01");
    create.mutable_grid()->set_display_name("Grid");
    create.mutable_grid()->set_community_id(community);
    grid::v1::Grid made;
    EXPECT_TRUE(grids->CreateGrid(Context("city-secret").get(), create, &made).ok());
    return made.id();
  };
  const std::string g1 = make_grid(c1);
  const std::string g2 = make_grid(c2);

  auto dept = PostJson("/grassroots.grid.v1.CaseSetupService/CreateDepartment",
                       R"({"department":{"code":"CITY_APPEARANCE","name":"City appearance )"
                       R"(bureau","areaPath":"ge-d"}})",
                       "city-secret");
  ASSERT_EQ(dept.status, 200) << dept.body;
  const auto department = Parse<grid::v1::Department>(dept.body);
  auto category = PostJson(
      "/grassroots.grid.v1.CaseSetupService/CreateCategory",
      absl::StrCat(R"({"category":{"code":"ILLEGAL_ADVERTISING","name":"Illegal advertising",)",
                   R"("kind":"INCIDENT","departmentId":")", department.id(),
                   R"(","deadlines":{"registerMinutes":60,"dispatchMinutes":30,)",
                   R"("acceptMinutes":60,"handleMinutes":480,"verifyMinutes":120},)",
                   R"("extraFields":[{"key":"surface","label":"Where it is stuck",)",
                   R"("required":true,"choices":["wall","pole","tree"]}]}})"),
      "city-secret");
  ASSERT_EQ(category.status, 200) << category.body;

  // The reporter on JSON; the extra field its category asks for.
  auto reported = PostJson(
      "/grassroots.grid.v1.CaseService/ReportCase",
      absl::StrCat(R"({"case":{"kind":"INCIDENT","source":"GRID_WORKER",)",
                   R"("categoryCode":"ILLEGAL_ADVERTISING","gridId":")", g1,
                   R"(","latitude":30.2741,"longitude":120.1551,"description":"flyers on )"
                   R"(the lamp post","extraFields":{"surface":"pole"}},"requestId":"r-1"})"),
      "reporter-secret");
  ASSERT_EQ(reported.status, 200) << reported.body;
  auto c = Parse<grid::v1::ReportCaseResponse>(reported.body).case_();
  EXPECT_EQ(c.state(), grid::v1::Case::REPORTED);
  EXPECT_EQ(c.grid_path(), "ge-d/s1/c1/g01");

  // Command may not register: the gateway refuses by the method's roles.
  auto refused =
      PostJson("/grassroots.grid.v1.CaseService/RegisterCase", StepJson(c), "dispatcher-secret");
  EXPECT_EQ(refused.status, 403) << refused.body;
  auto registered =
      PostJson("/grassroots.grid.v1.CaseService/RegisterCase", StepJson(c), "supervisor-secret");
  ASSERT_EQ(registered.status, 200) << registered.body;
  c = Parse<grid::v1::Case>(registered.body);

  // Dispatch, acceptance and feedback on gRPC.
  auto cases = grid::v1::CaseService::NewStub(GatewayChannel());
  grid::v1::DispatchCaseRequest dispatch;
  dispatch.mutable_step()->set_case_id(c.id());
  dispatch.mutable_step()->set_etag(c.etag());
  ASSERT_TRUE(cases->DispatchCase(Context("dispatcher-secret").get(), dispatch, &c).ok());
  EXPECT_EQ(c.department_id(), department.id());
  grid::v1::CaseStepRequest step;
  step.set_case_id(c.id());
  EXPECT_EQ(cases->AcceptCase(Context("supervisor-secret").get(), step, &c).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(cases->AcceptCase(Context("handler-secret").get(), step, &c).ok());
  step.set_note("flyers removed, post cleaned");
  ASSERT_TRUE(cases->ReportCaseHandled(Context("handler-secret").get(), step, &c).ok());
  EXPECT_EQ(c.state(), grid::v1::Case::HANDLED);

  // Verification, closing and the reporter's evaluation on JSON.
  auto verified =
      PostJson("/grassroots.grid.v1.CaseService/VerifyCase",
               absl::StrCat(R"({"step":)", StepJson(c), R"(,"passed":true})"), "supervisor-secret");
  ASSERT_EQ(verified.status, 200) << verified.body;
  c = Parse<grid::v1::Case>(verified.body);
  auto closed =
      PostJson("/grassroots.grid.v1.CaseService/CloseCase", StepJson(c), "supervisor-secret");
  ASSERT_EQ(closed.status, 200) << closed.body;
  c = Parse<grid::v1::Case>(closed.body);
  auto evaluated = PostJson(
      "/grassroots.grid.v1.CaseService/EvaluateCase",
      absl::StrCat(R"({"step":)", StepJson(c), R"(,"resolution":"FIXED","satisfaction":5})"),
      "reporter-secret");
  ASSERT_EQ(evaluated.status, 200) << evaluated.body;
  EXPECT_EQ(Parse<grid::v1::Case>(evaluated.body).state(), grid::v1::Case::EVALUATED);

  auto steps = PostJson("/grassroots.grid.v1.CaseService/ListCaseSteps",
                        absl::StrCat(R"({"caseId":")", c.id(), R"("})"), "reporter-secret");
  ASSERT_EQ(steps.status, 200) << steps.body;
  auto timeline = Parse<grid::v1::ListCaseStepsResponse>(steps.body);
  ASSERT_EQ(timeline.steps_size(), 8);
  EXPECT_EQ(timeline.steps(1).actor(), "supervision");
  EXPECT_EQ(timeline.steps(2).actor(), "command");
  EXPECT_EQ(timeline.steps(4).note(), "flyers removed, post cleaned");

  // A bad extra field is named.
  auto bad =
      PostJson("/grassroots.grid.v1.CaseService/ReportCase",
               absl::StrCat(R"({"case":{"kind":"INCIDENT","source":"RESIDENT",)",
                            R"("categoryCode":"ILLEGAL_ADVERTISING","gridId":")", g1,
                            R"(","latitude":30.3,"longitude":120.2,"description":"more flyers",)",
                            R"("extraFields":{"surface":"car"}}})"),
               "reporter-secret");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("EXTRA_FIELD_NOT_A_CHOICE"), std::string::npos) << bad.body;

  // Street s1's key and street s2's case: refused on both edges.
  grid::v1::ReportCaseRequest other;
  auto* o = other.mutable_case_();
  o->set_kind(grid::v1::Case::INCIDENT);
  o->set_source(grid::v1::Case::RESIDENT);
  o->set_category_code("ILLEGAL_ADVERTISING");
  o->set_grid_id(g2);
  o->set_latitude(31.0);
  o->set_longitude(121.0);
  o->set_description("posters on the wall");
  (*o->mutable_extra_fields())["surface"] = "wall";
  grid::v1::ReportCaseResponse theirs;
  ASSERT_TRUE(cases->ReportCase(Context("reporter-secret").get(), other, &theirs).ok());
  grid::v1::GetCaseRequest get;
  get.set_id(theirs.case_().id());
  grid::v1::Case read;
  EXPECT_EQ(cases->GetCase(Context("street-secret").get(), get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto foreign = PostJson("/grassroots.grid.v1.CaseService/RegisterCase", StepJson(theirs.case_()),
                          "street-secret");
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_NE(foreign.body.find("OUT_OF_SCOPE"), std::string::npos) << foreign.body;

  // The live figures trail the steps by about a second; the same on both edges.
  const std::string today =
      absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  const std::string tomorrow =
      absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 1);
  const std::string figures_request =
      absl::StrCat(R"({"areaPath":"ge-d","groupBy":"CHILD_AREA","period":{"startDate":")", today,
                   R"(","endDate":")", tomorrow, R"("}})");
  grid::v1::GetCaseFiguresResponse figures;
  for (int i = 0; i < 100; ++i) {
    auto read = PostJson("/grassroots.grid.v1.CaseFiguresService/GetCaseFigures", figures_request,
                         "viewer-secret");
    ASSERT_EQ(read.status, 200) << read.body;
    figures = Parse<grid::v1::GetCaseFiguresResponse>(read.body);
    if (figures.figures_size() == 2 && figures.figures(0).evaluated() == 1 &&
        figures.figures(1).reported() == 1) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(figures.figures_size(), 2);
  EXPECT_EQ(figures.figures(0).key(), "ge-d/s1");
  EXPECT_EQ(figures.figures(0).closed(), 1);
  EXPECT_EQ(figures.figures(0).evaluated(), 1);
  EXPECT_DOUBLE_EQ(figures.figures(0).mean_satisfaction(), 5.0);
  EXPECT_EQ(figures.figures(1).key(), "ge-d/s2");
  EXPECT_EQ(figures.figures(1).open(), 1);
  auto figures_grpc = grid::v1::CaseFiguresService::NewStub(GatewayChannel());
  grid::v1::GetCaseFiguresRequest total;
  total.set_area_path("ge-d/s2");
  total.mutable_period()->set_start_date(today);
  total.mutable_period()->set_end_date(tomorrow);
  grid::v1::GetCaseFiguresResponse s2;
  ASSERT_TRUE(figures_grpc->GetCaseFigures(Context("viewer-secret").get(), total, &s2).ok());
  ASSERT_EQ(s2.figures_size(), 1);
  EXPECT_EQ(s2.figures(0).reported(), 1);
  // Street s1's key may not read s2's figures.
  EXPECT_EQ(figures_grpc->GetCaseFigures(Context("street-secret").get(), total, &s2).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Reading figures is not a reporter's business.
  auto reporter = PostJson("/grassroots.grid.v1.CaseFiguresService/GetCaseFigures", figures_request,
                           "reporter-secret");
  EXPECT_EQ(reporter.status, 403) << reporter.body;
}

}  // namespace
}  // namespace grassroots
