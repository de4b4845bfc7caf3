// The gateway and orgs as real processes, called on both edges (gRPC and
// Connect JSON): API keys and bearer tokens, principal replacement, roles,
// scope, key reload, rate limits, body limits and an unavailable backend.
#include <cppconn/driver.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/sha256.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "services/gateway/jwt_signer.h"
#include "tests/e2e/gateway_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/test_server.h"

namespace grassroots {
namespace {

using orgs::v1::Area;
using orgs::v1::AreaService;
using testing::AppClaims;
using testing::Bearer;
using testing::GatewayProcessTest;
using testing::kJwtSecret;

constexpr char kGetArea[] = "/grassroots.orgs.v1.AreaService/GetArea";
constexpr char kCreateArea[] = "/grassroots.orgs.v1.AreaService/CreateArea";

TEST_F(GatewayProcessTest, AuthenticatesScopesAndForwards) {
  Area d, s1, s2;
  MakeTree(&d, &s1, &s2);

  // The street key sees its street and nothing else.
  EXPECT_TRUE(Get(Context("street-secret"), s1.id()).ok());
  EXPECT_EQ(Get(Context("street-secret"), s2.id()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A principal sent from outside is dropped, even a well-formed signed one.
  common::v1::Principal root;
  root.set_id("intruder");
  root.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  auto forged = Context("street-secret");
  forged->AddMetadata(std::string(kPrincipalMetadataKey),
                      testing::TestPrincipals().codec().Sign(root));
  EXPECT_EQ(Get(std::move(forged), s2.id()).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Missing and unknown keys learn nothing.
  auto missing = Get(Context(""), s1.id());
  auto unknown = Get(Context("guess"), s1.id());
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(missing.error_message(), unknown.error_message());

  // Keys added to the file work without a restart.
  std::ofstream(keys_file_, std::ios::app)
      << "late " << Sha256Hex("late-secret") << " orgs.admin -\n";
  bool accepted = false;
  for (int i = 0; i < 50 && !accepted; ++i) {
    accepted = Get(Context("late-secret"), s2.id()).ok();
    if (!accepted) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(accepted);

  // Streaming methods are forwarded too, with the same checks.
  orgs::v1::ImportAreasResponse imported;
  orgs::v1::ImportAreasRequest piece;
  piece.set_format(orgs::v1::ImportAreasRequest::CSV);
  piece.set_data("kind,code,display_name,parent_path\nSTREET,s7,Seventh,gw-d\n");
  {
    auto context = Context("city-secret");
    auto writer = stub_->ImportAreas(context.get(), &imported);
    ASSERT_TRUE(writer->Write(piece));
    piece.Clear();
    piece.set_data("COMMUNITY,c71,Seventh One,gw-d/s7\n");
    ASSERT_TRUE(writer->Write(piece));
    writer->WritesDone();
    auto status = writer->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(imported.created_count(), 2);
  }
  {
    // The street key is outside d01 and the import says so, through the stream.
    auto context = Context("street-secret");
    auto writer = stub_->ImportAreas(context.get(), &imported);
    orgs::v1::ImportAreasRequest again;
    again.set_format(orgs::v1::ImportAreasRequest::CSV);
    again.set_data("kind,code,display_name,parent_path\nSTREET,s8,Eighth,gw-d\n");
    writer->Write(again);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_F(GatewayProcessTest, AStoppedBackendAnswersUnavailableQuickly) {
  EXPECT_EQ(http_->Get("/readyz").status, 200);
  EXPECT_EQ(orgs_->Terminate(), 0);
  absl::Time start = absl::Now();
  auto status = Get(Context("city-secret"), "ar_anything");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  start = absl::Now();
  auto answer = PostJson(kGetArea, R"({"id":"ar_anything"})", {{"x-api-key", "city-secret"}});
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_NE(answer.body.find(R"("code":"unavailable")"), std::string::npos) << answer.body;
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ(http_->Get("/readyz").status, 503);
  EXPECT_EQ(http_->Get("/healthz").status, 200);
  EXPECT_EQ(gateway_->Terminate(), 0);
}

TEST_F(GatewayProcessTest, ChangeFeedStreamsThroughTheGateway) {
  Area d, s1, s2;
  MakeTree(&d, &s1, &s2);
  auto feed = orgs::v1::ChangeFeedService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", gateway_port_), grpc::InsecureChannelCredentials()));
  auto context = Context("city-secret");
  common::v1::WatchChangesRequest request;
  auto reader = feed->WatchChanges(context.get(), request);
  // The three creates so far, then one made while watching.
  std::vector<std::string> seen;
  common::v1::Change change;
  while (seen.size() < 3 && reader->Read(&change)) seen.push_back(change.resource_id());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], d.id());
  Area c1;
  ASSERT_TRUE(Create("city-secret", orgs::v1::COMMUNITY, "c1", s1.id(), &c1).ok());
  ASSERT_TRUE(reader->Read(&change));
  EXPECT_EQ(change.resource_id(), c1.id());
  EXPECT_EQ(change.actor(), "city-admin");
  // Ending the watch from this side ends it on the backend too.
  context->TryCancel();
  while (reader->Read(&change)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);

  // A viewer may not watch the feed (the proto gives it to orgs.admin and system.feed).
  auto viewer = Context("viewer-secret");
  auto refused = feed->WatchChanges(viewer.get(), request);
  while (refused->Read(&change)) {
  }
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(GatewayProcessTest, JsonAndGrpcReturnTheSameData) {
  Area d, s1, s2;
  MakeTree(&d, &s1, &s2);
  orgs::v1::GetAreaRequest request;
  request.set_id(s1.id());
  Area by_grpc;
  auto grpc_context = Context("city-secret");
  ASSERT_TRUE(stub_->GetArea(grpc_context.get(), request, &by_grpc).ok());
  auto echoed = grpc_context->GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(echoed, grpc_context->GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(echoed->second.data(), echoed->second.size()).rfind("rq_", 0), 0u);

  auto answer = PostJson(kGetArea, absl::StrCat(R"({"id":")", s1.id(), R"("})"),
                         {{"x-api-key", "city-secret"}, {"x-request-id", "e2e-json-1"}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.headers["content-type"], "application/json");
  EXPECT_EQ(answer.headers["x-request-id"], "e2e-json-1");
  Area by_json;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(answer.body, &by_json).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(by_grpc, by_json))
      << by_grpc.DebugString() << " vs " << by_json.DebugString();
  // Timestamps and enums in their proto3 JSON forms.
  EXPECT_NE(answer.body.find(R"("kind":"STREET")"), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find(R"("createTime":")"), std::string::npos) << answer.body;

  // A create through JSON lands like one through gRPC, and is idempotent.
  const std::string create =
      absl::StrCat(R"({"area":{"kind":"COMMUNITY","code":"c1","displayName":"C1","parentId":")",
                   s1.id(), R"("},"requestId":"json-create-1"})");
  auto first = PostJson(kCreateArea, create, {{"x-api-key", "city-secret"}});
  auto again = PostJson(kCreateArea, create, {{"x-api-key", "city-secret"}});
  ASSERT_EQ(first.status, 200) << first.body;
  // Without one of its own the caller is given a request id to quote.
  EXPECT_EQ(first.headers["x-request-id"].rfind("rq_", 0), 0u) << first.headers["x-request-id"];
  EXPECT_NE(first.headers["x-request-id"], again.headers["x-request-id"]);
  EXPECT_EQ(first.body, again.body);
  EXPECT_NE(first.body.find(R"("path":"gw-d/s1/c1")"), std::string::npos) << first.body;

  // The binary form of Connect passes the bytes through.
  auto binary = http_->Post(kGetArea, request.SerializeAsString(),
                            {{"x-api-key", "city-secret"}, {"content-type", "application/proto"}});
  ASSERT_EQ(binary.status, 200);
  Area by_proto;
  ASSERT_TRUE(by_proto.ParseFromString(binary.body));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(by_grpc, by_proto));
}

TEST_F(GatewayProcessTest, BearerTokensAreCheckedOnBothEdges) {
  Area d, s1, s2;
  MakeTree(&d, &s1, &s2);
  const std::string body = absl::StrCat(R"({"id":")", s1.id(), R"("})");
  auto viewer = AppClaims("gw-d/s1", {"orgs.viewer"});
  EXPECT_EQ(PostJson(kGetArea, body, {{"authorization", Bearer(viewer)}}).status, 200);

  auto expired = viewer;
  expired.expires = absl::Now() - absl::Minutes(5);
  auto wrong_audience = viewer;
  wrong_audience.audience = "another-system";
  std::string tampered = *gateway::SignJwtHs256(viewer, kJwtSecret);
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'x' ? 'y' : 'x';
  const std::string refusals[] = {Bearer(expired), Bearer(wrong_audience), "Bearer " + tampered,
                                  "Bearer not-a-token", "Basic dXNlcjpwYXNz"};
  std::string first_body;
  for (const std::string& authorization : refusals) {
    auto answer = PostJson(kGetArea, body, {{"authorization", authorization}});
    EXPECT_EQ(answer.status, 401) << authorization;
    EXPECT_EQ(answer.headers["www-authenticate"], "Bearer realm=\"grassroots\"");
    if (first_body.empty()) first_body = answer.body;
    EXPECT_EQ(answer.body, first_body) << "refusals must not tell the causes apart";

    grpc::ClientContext context;
    context.AddMetadata("authorization", authorization);
    orgs::v1::GetAreaRequest request;
    request.set_id(s1.id());
    Area area;
    EXPECT_EQ(stub_->GetArea(&context, request, &area).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }

  // Scope: a token for street s1 cannot read s2, and is not told whether it exists.
  auto other = PostJson(kGetArea, absl::StrCat(R"({"id":")", s2.id(), R"("})"),
                        {{"authorization", Bearer(viewer)}});
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_NE(other.body.find(R"("code":"permission_denied")"), std::string::npos);
  auto missing = PostJson(kGetArea, R"({"id":"ar_00000000000000000000000000ff"})",
                          {{"authorization", Bearer(viewer)}});
  EXPECT_NE(missing.status, 404) << missing.body;

  // Roles come from the proto: a viewer cannot create, on either edge.
  const std::string create =
      absl::StrCat(R"({"area":{"kind":"COMMUNITY","code":"c9","displayName":"C9","parentId":")",
                   s1.id(), R"("}})");
  auto refused = PostJson(kCreateArea, create, {{"authorization", Bearer(viewer)}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("ROLE_REQUIRED"), std::string::npos) << refused.body;
  Area created;
  EXPECT_EQ(Create("viewer-secret", orgs::v1::COMMUNITY, "c9", s1.id(), &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // A principal header sent from outside is dropped on the JSON edge too.
  common::v1::Principal root;
  root.set_id("intruder");
  root.add_roles("orgs.admin");
  root.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  auto forged = PostJson(
      kCreateArea, create,
      {{"authorization", Bearer(viewer)},
       {std::string(kPrincipalMetadataKey), testing::TestPrincipals().codec().Sign(root)}});
  EXPECT_EQ(forged.status, 403) << forged.body;
}

TEST_F(GatewayProcessTest, OrganisationsThroughBothEdges) {
  Area d, s1, s2;
  MakeTree(&d, &s1, &s2);
  const std::map<std::string, std::string> city{{"x-api-key", "city-secret"}};
  auto district = PostJson("/grassroots.orgs.v1.OrganisationService/CreateOrganisation",
                           absl::StrCat(R"({"organisation":{"kind":"DISTRICT_COMMITTEE",)",
                                        R"("code":"gw-d","displayName":"District Committee",)",
                                        R"("areaId":")", d.id(), R"("},"requestId":"org-1"})"),
                           city);
  ASSERT_EQ(district.status, 200) << district.body;
  orgs::v1::Organisation committee;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(district.body, &committee).ok());
  EXPECT_EQ(committee.state(), orgs::v1::ACTIVE);
  auto street = PostJson("/grassroots.orgs.v1.OrganisationService/CreateOrganisation",
                         absl::StrCat(R"({"organisation":{"kind":"STREET_WORKING_COMMITTEE",)",
                                      R"("code":"s2","displayName":"S2 Committee","parentId":")",
                                      committee.id(), R"(","areaId":")", s2.id(), R"("}})"),
                         city);
  ASSERT_EQ(street.status, 200) << street.body;
  orgs::v1::Organisation s2_committee;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(street.body, &s2_committee).ok());

  // The street-s1 key cannot see street s2's committee, on either edge.
  auto other = PostJson("/grassroots.orgs.v1.OrganisationService/GetOrganisation",
                        absl::StrCat(R"({"id":")", s2_committee.id(), R"("})"),
                        {{"x-api-key", "street-secret"}});
  EXPECT_EQ(other.status, 403) << other.body;
  auto stub = orgs::v1::OrganisationService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", gateway_port_), grpc::InsecureChannelCredentials()));
  orgs::v1::GetOrganisationRequest get;
  get.set_id(s2_committee.id());
  orgs::v1::Organisation got;
  EXPECT_EQ(stub->GetOrganisation(Context("street-secret").get(), get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub->GetOrganisation(Context("city-secret").get(), get, &got).ok());
  EXPECT_EQ(got.path(), "gw-d/s2");
  // A member's personal data goes in clear and comes back masked, on both edges.
  auto member = PostJson("/grassroots.orgs.v1.MemberService/AddMember",
                         absl::StrCat(R"({"member":{"organisationId":")", s2_committee.id(),
                                      R"(","status":"FULL","joinDate":"2015-07-01",)",
                                      R"("name":"张三丰","phone":"13812345678",)",
                                      R"("idNumber":"110101199003071233"}})"),
                         city);
  ASSERT_EQ(member.status, 200) << member.body;
  EXPECT_NE(member.body.find(R"("phone":"138****5678")"), std::string::npos) << member.body;
  EXPECT_EQ(member.body.find("13812345678"), std::string::npos) << member.body;
  EXPECT_EQ(member.body.find("110101199003071233"), std::string::npos) << member.body;
  orgs::v1::Member added;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(member.body, &added).ok());
  auto members = orgs::v1::MemberService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", gateway_port_), grpc::InsecureChannelCredentials()));
  orgs::v1::GetMemberRequest get_member;
  get_member.set_id(added.id());
  orgs::v1::Member read;
  ASSERT_TRUE(members->GetMember(Context("city-secret").get(), get_member, &read).ok());
  EXPECT_EQ(read.name(), "张*丰");
  EXPECT_EQ(read.id_number(), "1101**********1233");
  // The street-s1 key cannot read a member of street s2, and a viewer may not reveal.
  EXPECT_EQ(members->GetMember(Context("street-secret").get(), get_member, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto reveal = PostJson("/grassroots.orgs.v1.MemberService/RevealMemberContact",
                         absl::StrCat(R"({"id":")", added.id(), R"(","purpose":"visit"})"),
                         {{"x-api-key", "viewer-secret"}});
  EXPECT_EQ(reveal.status, 403) << reveal.body;
  auto revealed = PostJson("/grassroots.orgs.v1.MemberService/RevealMemberContact",
                           absl::StrCat(R"({"id":")", added.id(), R"(","purpose":"visit"})"), city);
  EXPECT_EQ(revealed.status, 200) << revealed.body;
  EXPECT_NE(revealed.body.find("13812345678"), std::string::npos) << revealed.body;

  // Dissolving takes orgs.admin; a viewer is refused by the gateway.
  auto dissolve = PostJson("/grassroots.orgs.v1.OrganisationService/DissolveOrganisation",
                           absl::StrCat(R"({"id":")", s2_committee.id(), R"("})"),
                           {{"x-api-key", "viewer-secret"}});
  EXPECT_EQ(dissolve.status, 403) << dissolve.body;
}

TEST_F(GatewayProcessTest, BadRequestsGetClearAnswers) {
  const std::map<std::string, std::string> key{{"x-api-key", "city-secret"}};
  auto unknown_field = PostJson(kGetArea, R"({"identifier":"x"})", key);
  EXPECT_EQ(unknown_field.status, 400);
  EXPECT_NE(unknown_field.body.find("identifier"), std::string::npos) << unknown_field.body;
  EXPECT_EQ(PostJson(kGetArea, R"({"id":)", key).status, 400);
  EXPECT_EQ(PostJson(kGetArea, "[1,2,3]", key).status, 400);
  EXPECT_EQ(PostJson("/grassroots.orgs.v1.AreaService/NoSuchMethod", "{}", key).status, 501);
  auto text =
      http_->Post(kGetArea, "{}", {{"x-api-key", "city-secret"}, {"content-type", "text/plain"}});
  EXPECT_EQ(text.status, 415);
  EXPECT_EQ(http_->Get(kGetArea).status, 405);
  auto timeout =
      PostJson(kGetArea, "{}", {{"x-api-key", "city-secret"}, {"connect-timeout-ms", "soon"}});
  EXPECT_EQ(timeout.status, 400);
  // Streaming methods are gRPC only.
  EXPECT_EQ(PostJson("/grassroots.orgs.v1.AreaService/ImportAreas", "{}", key).status, 501);
  // Over the body limit: 413, before anything is parsed.
  const std::string huge(5 << 20, ' ');
  EXPECT_EQ(PostJson(kGetArea, huge, key).status, 413);
  // Not HTTP at all: 400 and the connection closed, the server still up.
  EXPECT_EQ(http_->Raw("BLAH BLAH\r\n\r\n").status, 400);
  EXPECT_EQ(http_->Get("/healthz").status, 200);
}

TEST_F(GatewayProcessTest, RateLimitTripsAndRecovers) {
  StartGateway({"--rate-limit-per-second=2", "--rate-limit-burst=3"});
  ASSERT_TRUE(WaitServing());
  absl::SleepFor(absl::Seconds(2));  // the bucket WaitServing used is full again
  const std::map<std::string, std::string> key{{"x-api-key", "city-secret"}};
  int admitted = 0;
  testing::HttpResult limited;
  for (int i = 0; i < 10 && limited.status == 0; ++i) {
    auto answer = PostJson("/grassroots.orgs.v1.AreaService/ListAreas", "{}", key);
    if (answer.status == 200) ++admitted;
    if (answer.status == 429) limited = answer;
  }
  EXPECT_GE(admitted, 3);
  ASSERT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers["retry-after"], "1");
  EXPECT_NE(limited.body.find("RATE_LIMITED"), std::string::npos) << limited.body;
  // The same caller on gRPC shares the bucket.
  orgs::v1::ListAreasRequest request;
  orgs::v1::ListAreasResponse response;
  EXPECT_EQ(stub_->ListAreas(Context("city-secret").get(), request, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Another caller is not affected.
  EXPECT_EQ(
      PostJson("/grassroots.orgs.v1.AreaService/ListAreas", "{}", {{"x-api-key", "viewer-secret"}})
          .status,
      200);
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(PostJson("/grassroots.orgs.v1.AreaService/ListAreas", "{}", key).status, 200);
}

}  // namespace
}  // namespace grassroots
