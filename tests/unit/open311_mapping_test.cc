// The Open311 GeoReport v2 mapping: parameters from query strings, forms
// and JSON; services and their attributes from categories; the report a
// posted request makes; requests, filters and history from cases; errors.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/gateway/open311_handler.h"
#include "services/gateway/open311_params.h"
#include "services/gateway/open311_requests.h"
#include "services/gateway/open311_services.h"

namespace grassroots::gateway {
namespace {

namespace v1 = grid::v1;
using google::protobuf::ListValue;
using google::protobuf::Struct;

ListValue ParseList(const std::string& json) {
  ListValue list;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &list).ok()) << json;
  return list;
}

Struct ParseObject(const std::string& json) {
  Struct object;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &object).ok()) << json;
  return object;
}

const google::protobuf::Value& Field(const Struct& object, const std::string& key) {
  static const google::protobuf::Value kMissing;
  auto it = object.fields().find(key);
  EXPECT_NE(it, object.fields().end()) << key;
  return it == object.fields().end() ? kMissing : it->second;
}

v1::CaseCategory Litter() {
  v1::CaseCategory c;
  c.set_code("ILLEGAL_ADVERTISING");
  c.set_name("Illegal advertising");
  c.set_kind(v1::Case::INCIDENT);
  auto* f = c.add_extra_fields();
  f->set_key("surface");
  f->set_label("Where it is stuck");
  f->set_required(true);
  f->add_choices("wall");
  f->add_choices("pole");
  auto* g = c.add_extra_fields();
  g->set_key("size");
  g->set_label("How big");
  return c;
}

absl::Time At(int day, int hour) {
  return absl::FromCivil(absl::CivilSecond(2026, 12, day, hour, 0, 0), absl::UTCTimeZone());
}

v1::Case ACase(v1::Case::State state, int day = 2) {
  v1::Case c;
  c.set_id("cs_1");
  c.set_state(state);
  c.set_category_code("ILLEGAL_ADVERTISING");
  c.set_description("flyers on the lamp post");
  c.set_department_id("dp_1");
  c.set_address("12 River Road");
  c.set_latitude(30.27411);
  c.set_longitude(120.15511);
  c.add_photo_refs("https://photos.example/1.jpg");
  ToProtoTime(At(day, 8), c.mutable_create_time());
  ToProtoTime(At(day, 9), c.mutable_update_time());
  ToProtoTime(At(day, 10), c.mutable_step_due_time());
  return c;
}

TEST(Open311Params, ReadsQueryFormAndAttributes) {
  auto params = ReadOpen311Params("api_key=k%201&jurisdiction_id=gr_1",
                                  "service_code=ILLEGAL_ADVERTISING&lat=30.27411&long=120.1551"
                                  "&description=flyers+on+the+post&attribute%5Bsurface%5D=pole",
                                  "application/x-www-form-urlencoded; charset=utf-8");
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_EQ(params->Get("api_key"), "k 1");
  EXPECT_EQ(params->Get("description"), "flyers on the post");
  EXPECT_EQ(params->attributes.at("surface"), "pole");
  EXPECT_EQ(params->Get("absent"), "");
  EXPECT_FALSE(params->Has("absent"));
}

TEST(Open311Params, ReadsAJsonObjectWithNumbersAndAnAttributeObject) {
  auto params = ReadOpen311Params(
      "",
      R"({"service_code":"X","lat":30.27411,"long":120.15511,"attribute":{"surface":"wall"},)"
      R"("attribute[size]":"A4","email":null})",
      "application/json");
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_EQ(params->Get("lat"), "30.27411");
  EXPECT_EQ(params->Get("long"), "120.15511");
  EXPECT_EQ(params->attributes.at("surface"), "wall");
  EXPECT_EQ(params->attributes.at("size"), "A4");
  EXPECT_FALSE(params->Has("email"));
}

TEST(Open311Params, RefusesBrokenEncodingsAndOtherBodies) {
  EXPECT_EQ(ErrorField(ReadOpen311Params("lat=%zz", "", "").status()), "lat");
  EXPECT_FALSE(UrlDecode("50%").has_value());
  EXPECT_EQ(*UrlDecode("a%2Cb+c"), "a,b c");
  EXPECT_EQ(ErrorReason(ReadOpen311Params("", "[1]", "application/json").status()), "JSON_INVALID");
  EXPECT_EQ(ErrorField(ReadOpen311Params("", R"({"lat":[1]})", "application/json").status()),
            "lat");
  EXPECT_EQ(ErrorReason(ReadOpen311Params("", "x", "text/xml").status()),
            "CONTENT_TYPE_UNSUPPORTED");
}

TEST(Open311Services, ListsEachCategoryWithWhetherItHasAttributes) {
  v1::ListCategoriesResponse categories;
  *categories.add_categories() = Litter();
  auto* plain = categories.add_categories();
  plain->set_code("NOISE");
  plain->set_name("Noise");
  plain->set_kind(v1::Case::SERVICE_MATTER);
  const ListValue list = ParseList(ServicesJson(categories));
  ASSERT_EQ(list.values_size(), 2);
  const Struct& first = list.values(0).struct_value();
  EXPECT_EQ(Field(first, "service_code").string_value(), "ILLEGAL_ADVERTISING");
  EXPECT_EQ(Field(first, "service_name").string_value(), "Illegal advertising");
  EXPECT_TRUE(Field(first, "metadata").bool_value());
  EXPECT_EQ(Field(first, "type").string_value(), "realtime");
  EXPECT_EQ(Field(first, "group").string_value(), "incident");
  EXPECT_FALSE(Field(list.values(1).struct_value(), "metadata").bool_value());
}

TEST(Open311Services, DefinesTheExtraFieldsAsAttributes) {
  const Struct definition = ParseObject(ServiceDefinitionJson(Litter()));
  EXPECT_EQ(Field(definition, "service_code").string_value(), "ILLEGAL_ADVERTISING");
  const auto& attributes = Field(definition, "attributes").list_value();
  ASSERT_EQ(attributes.values_size(), 2);
  const Struct& surface = attributes.values(0).struct_value();
  EXPECT_EQ(Field(surface, "code").string_value(), "surface");
  EXPECT_EQ(Field(surface, "datatype").string_value(), "singlevaluelist");
  EXPECT_TRUE(Field(surface, "required").bool_value());
  EXPECT_EQ(Field(surface, "description").string_value(), "Where it is stuck");
  EXPECT_EQ(Field(surface, "order").number_value(), 1);
  ASSERT_EQ(Field(surface, "values").list_value().values_size(), 2);
  EXPECT_EQ(
      Field(Field(surface, "values").list_value().values(1).struct_value(), "key").string_value(),
      "pole");
  const Struct& size = attributes.values(1).struct_value();
  EXPECT_EQ(Field(size, "datatype").string_value(), "string");
  EXPECT_FALSE(Field(size, "required").bool_value());
}

TEST(Open311Services, APostedRequestBecomesAResidentsReport) {
  Open311Params params;
  params.values = {{"service_code", "ILLEGAL_ADVERTISING"},
                   {"jurisdiction_id", "gr_1"},
                   {"lat", "30.27411"},
                   {"long", "120.15511"},
                   {"address_string", "12 River Road"},
                   {"description", "flyers"},
                   {"media_url", "https://photos.example/1.jpg"},
                   {"account_id", "app-user-9"},
                   {"email", "a@example.org"},
                   {"phone", "13800000000"},
                   {"request_id", "r-1"}};
  params.attributes = {{"surface", "pole"}};
  auto report = ToReportCase(params, Litter());
  ASSERT_TRUE(report.ok()) << report.status();
  const v1::Case& c = report->case_();
  EXPECT_EQ(c.kind(), v1::Case::INCIDENT);
  EXPECT_EQ(c.source(), v1::Case::RESIDENT);
  EXPECT_EQ(c.category_code(), "ILLEGAL_ADVERTISING");
  EXPECT_EQ(c.grid_id(), "gr_1");
  EXPECT_DOUBLE_EQ(c.latitude(), 30.27411);
  EXPECT_DOUBLE_EQ(c.longitude(), 120.15511);
  EXPECT_EQ(c.address(), "12 River Road");
  EXPECT_EQ(c.photo_refs(0), "https://photos.example/1.jpg");
  EXPECT_EQ(c.reporter_ref(), "app-user-9");
  EXPECT_EQ(c.extra_fields().at("surface"), "pole");
  EXPECT_EQ(report->request_id(), "r-1");
  // Contact details stay with the client.
  EXPECT_EQ(c.ShortDebugString().find("13800000000"), std::string::npos);
  EXPECT_EQ(c.ShortDebugString().find("a@example.org"), std::string::npos);

  params.values.erase("account_id");
  params.values["device_id"] = "phone-3";
  params.values.erase("jurisdiction_id");
  params.values["grid_id"] = "gr_2";
  report = ToReportCase(params, Litter());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->case_().reporter_ref(), "phone-3");
  EXPECT_EQ(report->case_().grid_id(), "gr_2");
}

TEST(Open311Services, NamesTheParameterAPostGetsWrong) {
  Open311Params params;
  params.values = {{"service_code", "ILLEGAL_ADVERTISING"}, {"lat", "30.1"}, {"long", "120"}};
  EXPECT_EQ(ErrorField(ToReportCase(params, Litter()).status()), "jurisdiction_id");
  params.values["jurisdiction_id"] = "gr_1";
  params.values["lat"] = "north";
  EXPECT_EQ(ErrorField(ToReportCase(params, Litter()).status()), "lat");
  params.values["lat"] = "30.1";
  params.values["long"] = "190";
  EXPECT_EQ(ErrorField(ToReportCase(params, Litter()).status()), "long");
  params.values.erase("long");
  EXPECT_EQ(ErrorField(ToReportCase(params, Litter()).status()), "long");
}

TEST(Open311Services, GridsFieldsAreNamedAsTheParametersTheyCameFrom) {
  EXPECT_EQ(WithOpen311FieldNames("case.latitude: required for incidents"),
            "lat: required for incidents");
  EXPECT_EQ(WithOpen311FieldNames("case.extra_fields[surface]: not one of the choices"),
            "attribute[surface]: not one of the choices");
  EXPECT_EQ(WithOpen311FieldNames("case.grid_id: no grid has this id"),
            "jurisdiction_id: no grid has this id");
  EXPECT_EQ(WithOpen311FieldNames("something else"), "something else");
}

TEST(Open311Services, APostAnswersTheRequestIdAndANotice) {
  v1::ReportCaseResponse posted;
  posted.mutable_case_()->set_id("cs_9");
  ListValue list = ParseList(PostedJson(posted));
  ASSERT_EQ(list.values_size(), 1);
  EXPECT_EQ(Field(list.values(0).struct_value(), "service_request_id").string_value(), "cs_9");
  const std::string fresh = Field(list.values(0).struct_value(), "service_notice").string_value();
  posted.set_duplicate(true);
  list = ParseList(PostedJson(posted));
  EXPECT_NE(Field(list.values(0).struct_value(), "service_notice").string_value(), fresh);
}

TEST(Open311Requests, OpenUntilClosedEvaluatedRejectedOrMerged) {
  for (auto state :
       {v1::Case::REPORTED, v1::Case::REGISTERED, v1::Case::DISPATCHED, v1::Case::HANDLING,
        v1::Case::HANDLED, v1::Case::VERIFIED, v1::Case::SUSPENDED}) {
    EXPECT_FALSE(IsOpen311Closed(state)) << v1::Case::State_Name(state);
  }
  for (auto state : {v1::Case::CLOSED, v1::Case::EVALUATED, v1::Case::REJECTED, v1::Case::MERGED}) {
    EXPECT_TRUE(IsOpen311Closed(state)) << v1::Case::State_Name(state);
  }
}

TEST(Open311Requests, ARequestHasTheStandardFields) {
  Open311Names names;
  names.services["ILLEGAL_ADVERTISING"] = "Illegal advertising";
  names.agencies["dp_1"] = "City appearance bureau";
  ListValue list = ParseList(RequestJson(ACase(v1::Case::HANDLING), names, "crew on the way"));
  ASSERT_EQ(list.values_size(), 1);
  const Struct& r = list.values(0).struct_value();
  EXPECT_EQ(Field(r, "service_request_id").string_value(), "cs_1");
  EXPECT_EQ(Field(r, "status").string_value(), "open");
  EXPECT_EQ(Field(r, "workflow_state").string_value(), "HANDLING");
  EXPECT_EQ(Field(r, "status_notes").string_value(), "crew on the way");
  EXPECT_EQ(Field(r, "service_name").string_value(), "Illegal advertising");
  EXPECT_EQ(Field(r, "service_code").string_value(), "ILLEGAL_ADVERTISING");
  EXPECT_EQ(Field(r, "description").string_value(), "flyers on the lamp post");
  EXPECT_EQ(Field(r, "agency_responsible").string_value(), "City appearance bureau");
  EXPECT_EQ(Field(r, "requested_datetime").string_value(), "2026-12-02T08:00:00+00:00");
  EXPECT_EQ(Field(r, "updated_datetime").string_value(), "2026-12-02T09:00:00+00:00");
  EXPECT_EQ(Field(r, "expected_datetime").string_value(), "2026-12-02T10:00:00+00:00");
  EXPECT_EQ(Field(r, "address").string_value(), "12 River Road");
  EXPECT_DOUBLE_EQ(Field(r, "lat").number_value(), 30.27411);
  EXPECT_DOUBLE_EQ(Field(r, "long").number_value(), 120.15511);
  EXPECT_EQ(Field(r, "media_url").string_value(), "https://photos.example/1.jpg");
  EXPECT_TRUE(Field(r, "zipcode").has_null_value());

  // Closed: no expected time; unknown names fall back to the codes.
  list = ParseList(RequestsJson({ACase(v1::Case::CLOSED)}, Open311Names()));
  const Struct& closed = list.values(0).struct_value();
  EXPECT_EQ(Field(closed, "status").string_value(), "closed");
  EXPECT_TRUE(Field(closed, "expected_datetime").has_null_value());
  EXPECT_TRUE(Field(closed, "status_notes").has_null_value());
  EXPECT_EQ(Field(closed, "agency_responsible").string_value(), "dp_1");
  EXPECT_EQ(Field(closed, "service_name").string_value(), "ILLEGAL_ADVERTISING");
}

TEST(Open311Requests, FiltersByServiceDatesAndStatus) {
  Open311Params params;
  params.values = {{"service_code", "ILLEGAL_ADVERTISING,NOISE"},
                   {"start_date", "2026-12-02T00:00:00Z"},
                   {"end_date", "2026-12-03"},
                   {"status", "open"}};
  auto filter = ReadRequestFilter(params);
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_TRUE(Matches(*filter, ACase(v1::Case::REGISTERED)));
  EXPECT_FALSE(Matches(*filter, ACase(v1::Case::CLOSED)));
  EXPECT_FALSE(Matches(*filter, ACase(v1::Case::REGISTERED, /*day=*/1)));
  EXPECT_FALSE(Matches(*filter, ACase(v1::Case::REGISTERED, /*day=*/3)));
  v1::Case other = ACase(v1::Case::REGISTERED);
  other.set_category_code("POTHOLE");
  EXPECT_FALSE(Matches(*filter, other));

  Open311Params ids;
  ids.values = {{"service_request_id", "cs_1, cs_2"}};
  auto named = ReadRequestFilter(ids);
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->ids, (std::vector<std::string>{"cs_1", "cs_2"}));
  EXPECT_TRUE(Matches(*named, ACase(v1::Case::CLOSED)));
}

TEST(Open311Requests, NamesABadFilter) {
  Open311Params params;
  params.values = {{"status", "pending"}};
  EXPECT_EQ(ErrorField(ReadRequestFilter(params).status()), "status");
  params.values = {{"start_date", "yesterday"}};
  EXPECT_EQ(ErrorField(ReadRequestFilter(params).status()), "start_date");
}

TEST(Open311Requests, HistoryIsTheTimelineWithOpen311Statuses) {
  std::vector<v1::CaseStep> steps(2);
  steps[0].set_action("Report");
  steps[0].set_to_state(v1::Case::REPORTED);
  ToProtoTime(At(2, 8), steps[0].mutable_time());
  steps[1].set_action("Close");
  steps[1].set_to_state(v1::Case::CLOSED);
  steps[1].set_note("done");
  steps[1].set_actor("supervision");
  ToProtoTime(At(2, 12), steps[1].mutable_time());
  const ListValue list = ParseList(HistoryJson("cs_1", steps));
  ASSERT_EQ(list.values_size(), 2);
  EXPECT_EQ(Field(list.values(0).struct_value(), "status").string_value(), "open");
  EXPECT_TRUE(Field(list.values(0).struct_value(), "status_notes").has_null_value());
  const Struct& last = list.values(1).struct_value();
  EXPECT_EQ(Field(last, "service_request_id").string_value(), "cs_1");
  EXPECT_EQ(Field(last, "status").string_value(), "closed");
  EXPECT_EQ(Field(last, "workflow_state").string_value(), "CLOSED");
  EXPECT_EQ(Field(last, "status_notes").string_value(), "done");
  EXPECT_EQ(Field(last, "action").string_value(), "Close");
  EXPECT_EQ(Field(last, "updated_datetime").string_value(), "2026-12-02T12:00:00+00:00");
  EXPECT_FALSE(last.fields().contains("actor"));
}

TEST(Open311Routes, EachEndpointByMethodAndPath) {
  EXPECT_EQ(RouteOpen311("GET", "/open311/v2/services.json").kind, Open311Route::kServices);
  auto definition = RouteOpen311("GET", "/open311/v2/services/NOISE.json");
  EXPECT_EQ(definition.kind, Open311Route::kServiceDefinition);
  EXPECT_EQ(definition.id, "NOISE");
  EXPECT_EQ(RouteOpen311("POST", "/open311/v2/requests.json").kind, Open311Route::kPostRequest);
  EXPECT_EQ(RouteOpen311("GET", "/open311/v2/requests.json").kind, Open311Route::kListRequests);
  auto one = RouteOpen311("GET", "/open311/v2/requests/cs_1.json");
  EXPECT_EQ(one.kind, Open311Route::kGetRequest);
  EXPECT_EQ(one.id, "cs_1");
  auto history = RouteOpen311("GET", "/open311/v2/requests/cs_1/history.json");
  EXPECT_EQ(history.kind, Open311Route::kRequestHistory);
  EXPECT_EQ(history.id, "cs_1");
  EXPECT_EQ(RouteOpen311("GET", "/open311/v2/services.xml").kind, Open311Route::kNotJson);
  EXPECT_EQ(RouteOpen311("GET", "/open311/v2/other.json").kind, Open311Route::kNotFound);
  EXPECT_EQ(RouteOpen311("GET", "/open311/v1/services.json").kind, Open311Route::kNotFound);
  auto wrong = RouteOpen311("DELETE", "/open311/v2/requests/cs_1.json");
  EXPECT_EQ(wrong.kind, Open311Route::kMethodNotAllowed);
  EXPECT_EQ(wrong.allow, "GET");
  EXPECT_EQ(RouteOpen311("PUT", "/open311/v2/requests.json").allow, "GET, POST");
}

TEST(Open311Errors, AnErrorArrayWithTheHttpStatusAndTheFieldNamed) {
  HttpResponse response = Open311ErrorResponse(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "case.latitude: required for incidents"));
  EXPECT_EQ(response.status, 400);
  ListValue list = ParseList(response.body);
  ASSERT_EQ(list.values_size(), 1);
  EXPECT_EQ(Field(list.values(0).struct_value(), "code").number_value(), 400);
  EXPECT_EQ(Field(list.values(0).struct_value(), "description").string_value(),
            "lat: required for incidents");
  EXPECT_EQ(Open311ErrorResponse(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no")).status,
            403);
  HttpResponse unauthenticated =
      Open311ErrorResponse(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "who?"));
  EXPECT_EQ(unauthenticated.status, 401);
  ASSERT_EQ(unauthenticated.headers.size(), 1u);
  EXPECT_EQ(unauthenticated.headers[0].first, "WWW-Authenticate");
}

}  // namespace
}  // namespace grassroots::gateway
