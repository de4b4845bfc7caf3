// Open311 GeoReport v2 through the gateway, against real orgs and grid
// processes: list the services and a service's attributes, post a request
// with lat/long, read it back by id, close the case through the workflow
// (each step by its role), see it closed with its history; callers without
// the rights refused. And the 12345 hotline's round trip: a case pushed
// twice under one ticket, read back by the ticket, followed on the feed.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "grassroots/grid/v1/external_case.pb.h"
#include "tests/e2e/grid_gateway_fixture.h"

namespace grassroots {
namespace {

using google::protobuf::ListValue;
using google::protobuf::Struct;
using testing::GridGatewayTest;

ListValue List(const testing::HttpResult& result) {
  ListValue list;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(result.body, &list).ok()) << result.body;
  return list;
}

std::string Text(const Struct& object, const std::string& key) {
  auto it = object.fields().find(key);
  return it == object.fields().end() ? "" : it->second.string_value();
}

template <typename Message>
Message Parse(const std::string& json) {
  Message message;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &message).ok()) << json;
  return message;
}

class Open311Test : public GridGatewayTest {
 protected:
  // A grid in ge-d/s1/c1 and the category ILLEGAL_ADVERTISING with its
  // extra field "surface"; the grid's id.
  std::string SetUpGridAndCategory() {
    const std::string d = CreateArea(orgs::v1::DISTRICT, "ge-d", "");
    const std::string grid_id =
        CreateGrid(CreateArea(orgs::v1::COMMUNITY, "c1", CreateArea(orgs::v1::STREET, "s1", d)));
    auto dept = PostJson("/grassroots.grid.v1.CaseSetupService/CreateDepartment",
                         R"({"department":{"code":"CITY_APPEARANCE","name":"City appearance )"
                         R"(bureau","areaPath":"ge-d"}})",
                         "city-secret");
    EXPECT_EQ(dept.status, 200) << dept.body;
    auto category = PostJson(
        "/grassroots.grid.v1.CaseSetupService/CreateCategory",
        absl::StrCat(R"({"category":{"code":"ILLEGAL_ADVERTISING","name":"Illegal advertising",)",
                     R"("kind":"INCIDENT","departmentId":")",
                     Parse<grid::v1::Department>(dept.body).id(),
                     R"(","deadlines":{"registerMinutes":60,"dispatchMinutes":30,)",
                     R"("acceptMinutes":60,"handleMinutes":480,"verifyMinutes":120},)",
                     R"("extraFields":[{"key":"surface","label":"Where it is stuck",)",
                     R"("required":true,"choices":["wall","pole","tree"]}]}})"),
        "city-secret");
    EXPECT_EQ(category.status, 200) << category.body;
    return grid_id;
  }

  testing::HttpResult PostForm(const std::string& body) {
    return http_->Post("/open311/v2/requests.json", body,
                       {{"content-type", "application/x-www-form-urlencoded"}});
  }
};

TEST_F(Open311Test, AnOpen311ClientReportsAndFollowsACaseToItsClose) {
  const std::string grid_id = SetUpGridAndCategory();

  auto services = http_->Get("/open311/v2/services.json?api_key=reporter-secret");
  ASSERT_EQ(services.status, 200) << services.body;
  ListValue list = List(services);
  ASSERT_EQ(list.values_size(), 1);
  EXPECT_EQ(Text(list.values(0).struct_value(), "service_code"), "ILLEGAL_ADVERTISING");
  EXPECT_TRUE(list.values(0).struct_value().fields().at("metadata").bool_value());
  auto definition =
      http_->Get("/open311/v2/services/ILLEGAL_ADVERTISING.json?api_key=reporter-secret");
  ASSERT_EQ(definition.status, 200) << definition.body;
  EXPECT_NE(definition.body.find(R"("code":"surface")"), std::string::npos) << definition.body;

  const std::string form = absl::StrCat(
      "service_code=ILLEGAL_ADVERTISING&jurisdiction_id=", grid_id,
      "&lat=30.27411&long=120.15511&address_string=12+River+Road"
      "&description=flyers+on+the+lamp+post&attribute%5Bsurface%5D=pole&email=a%40example.org");
  // No key, and a key whose roles may not report: refused before grid is asked.
  auto anonymous = PostForm(form);
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  auto viewer = PostForm(absl::StrCat(form, "&api_key=viewer-secret"));
  EXPECT_EQ(viewer.status, 403) << viewer.body;
  EXPECT_EQ(List(viewer).values(0).struct_value().fields().at("code").number_value(), 403);
  // A missing coordinate is named as the Open311 parameter.
  auto no_long = PostForm(absl::StrCat("service_code=ILLEGAL_ADVERTISING&jurisdiction_id=", grid_id,
                                       "&lat=30.2&attribute%5Bsurface%5D=pole"
                                       "&description=x&api_key=reporter-secret"));
  EXPECT_EQ(no_long.status, 400) << no_long.body;
  EXPECT_NE(no_long.body.find("long:"), std::string::npos) << no_long.body;

  auto posted = PostForm(absl::StrCat(form, "&api_key=reporter-secret"));
  ASSERT_EQ(posted.status, 200) << posted.body;
  const std::string id = Text(List(posted).values(0).struct_value(), "service_request_id");
  ASSERT_FALSE(id.empty()) << posted.body;

  auto read = http_->Get(absl::StrCat("/open311/v2/requests/", id, ".json?api_key=viewer-secret"));
  ASSERT_EQ(read.status, 200) << read.body;
  Struct request = List(read).values(0).struct_value();
  EXPECT_EQ(Text(request, "status"), "open");
  EXPECT_EQ(Text(request, "service_name"), "Illegal advertising");
  EXPECT_EQ(Text(request, "address"), "12 River Road");
  EXPECT_DOUBLE_EQ(request.fields().at("lat").number_value(), 30.27411);
  EXPECT_DOUBLE_EQ(request.fields().at("long").number_value(), 120.15511);
  EXPECT_EQ(read.body.find("a@example.org"), std::string::npos) << "contact details are not kept";

  // The workflow closes it, each step by its role, on gRPC.
  auto cases = grid::v1::CaseService::NewStub(GatewayChannel());
  grid::v1::CaseStepRequest step;
  step.set_case_id(id);
  grid::v1::Case c;
  ASSERT_TRUE(cases->RegisterCase(Context("supervisor-secret").get(), step, &c).ok());
  grid::v1::DispatchCaseRequest dispatch;
  *dispatch.mutable_step() = step;
  ASSERT_TRUE(cases->DispatchCase(Context("dispatcher-secret").get(), dispatch, &c).ok());
  ASSERT_TRUE(cases->AcceptCase(Context("handler-secret").get(), step, &c).ok());
  step.set_note("flyers removed, post cleaned");
  ASSERT_TRUE(cases->ReportCaseHandled(Context("handler-secret").get(), step, &c).ok());
  grid::v1::VerifyCaseRequest verify;
  *verify.mutable_step() = step;
  verify.set_passed(true);
  ASSERT_TRUE(cases->VerifyCase(Context("supervisor-secret").get(), verify, &c).ok());
  step.set_note("closed after the visit");
  ASSERT_TRUE(cases->CloseCase(Context("supervisor-secret").get(), step, &c).ok());

  // The key in a header works as well as the parameter.
  read = http_->Post(absl::StrCat("/open311/v2/requests/", id, ".json"), "",
                     {{"x-api-key", "viewer-secret"}});
  EXPECT_EQ(read.status, 405) << "one request is read with GET";
  read = http_->Get(absl::StrCat("/open311/v2/requests/", id, ".json?api_key=viewer-secret"));
  ASSERT_EQ(read.status, 200) << read.body;
  request = List(read).values(0).struct_value();
  EXPECT_EQ(Text(request, "status"), "closed");
  EXPECT_EQ(Text(request, "status_notes"), "closed after the visit");
  EXPECT_EQ(Text(request, "agency_responsible"), "City appearance bureau");

  auto history = http_->Get(
      absl::StrCat("/open311/v2/requests/", id, "/history.json?api_key=reporter-secret"));
  ASSERT_EQ(history.status, 200) << history.body;
  list = List(history);
  ASSERT_EQ(list.values_size(), 7);
  EXPECT_EQ(Text(list.values(0).struct_value(), "status"), "open");
  EXPECT_EQ(Text(list.values(4).struct_value(), "status_notes"), "flyers removed, post cleaned");
  EXPECT_EQ(Text(list.values(6).struct_value(), "status"), "closed");
  EXPECT_EQ(Text(list.values(6).struct_value(), "action"), "Close");

  auto closed = http_->Get(absl::StrCat("/open311/v2/requests.json?jurisdiction_id=", grid_id,
                                        "&status=closed&api_key=viewer-secret"));
  ASSERT_EQ(closed.status, 200) << closed.body;
  list = List(closed);
  ASSERT_EQ(list.values_size(), 1);
  EXPECT_EQ(Text(list.values(0).struct_value(), "service_request_id"), id);
  auto open = http_->Get(absl::StrCat("/open311/v2/requests.json?jurisdiction_id=", grid_id,
                                      "&status=open&api_key=viewer-secret"));
  EXPECT_EQ(List(open).values_size(), 0) << open.body;
  // Listing cases is not a reporter's: refused as the ListCases call would be.
  auto reporter_list = http_->Get("/open311/v2/requests.json?api_key=reporter-secret");
  EXPECT_EQ(reporter_list.status, 403) << reporter_list.body;
  auto named = http_->Get(absl::StrCat("/open311/v2/requests.json?service_request_id=", id,
                                       ",cs_missing&api_key=reporter-secret"));
  ASSERT_EQ(named.status, 200) << named.body;
  EXPECT_EQ(List(named).values_size(), 1);
}

TEST_F(Open311Test, TheHotlinePushesATicketTwiceAndPullsItBack) {
  const std::string grid_id = SetUpGridAndCategory();
  const std::string push = absl::StrCat(
      R"({"case":{"kind":"INCIDENT","source":"OTHER_SYSTEM","categoryCode":"ILLEGAL_ADVERTISING",)",
      R"("gridId":")", grid_id, R"(","latitude":30.3,"longitude":120.2,)",
      R"("description":"caller reports posters","reporterRef":"T20261202-0001",)",
      R"("extraFields":{"surface":"wall"},)",
      R"("externalTicket":{"system":"hotline12345","ticketId":"T20261202-0001"}}})");
  auto first = PostJson("/grassroots.grid.v1.CaseService/ReportCase", push, "reporter-secret");
  ASSERT_EQ(first.status, 200) << first.body;
  auto again = PostJson("/grassroots.grid.v1.CaseService/ReportCase", push, "reporter-secret");
  ASSERT_EQ(again.status, 200) << again.body;
  const auto one = Parse<grid::v1::ReportCaseResponse>(first.body);
  const auto two = Parse<grid::v1::ReportCaseResponse>(again.body);
  EXPECT_EQ(two.case_().id(), one.case_().id());
  EXPECT_TRUE(two.ticket_known());

  auto by_ticket = PostJson("/grassroots.grid.v1.ExternalCaseService/GetCaseByTicket",
                            R"({"ticket":{"system":"hotline12345","ticketId":"T20261202-0001"}})",
                            "reporter-secret");
  ASSERT_EQ(by_ticket.status, 200) << by_ticket.body;
  EXPECT_EQ(Parse<grid::v1::Case>(by_ticket.body).id(), one.case_().id());

  // The feed filtered to the hotline's cases, once the sequencer has run.
  grid::v1::ListTicketChangesResponse changes;
  for (int i = 0; i < 50 && changes.changes_size() == 0; ++i) {
    auto read = PostJson("/grassroots.grid.v1.ExternalCaseService/ListTicketChanges",
                         R"({"system":"hotline12345"})", "reporter-secret");
    ASSERT_EQ(read.status, 200) << read.body;
    changes = Parse<grid::v1::ListTicketChangesResponse>(read.body);
    if (changes.changes_size() == 0) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(changes.changes_size(), 1);
  EXPECT_EQ(changes.changes(0).ticket_id(), "T20261202-0001");
  EXPECT_EQ(changes.changes(0).case_().state(), grid::v1::Case::REPORTED);
}

}  // namespace
}  // namespace grassroots
