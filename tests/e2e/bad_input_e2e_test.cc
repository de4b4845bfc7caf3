// Bad input at the front door, the gateway and orgs as real processes: every
// malformed, oversized, nested, mis-encoded, overflowing or hostile request
// gets a clear refusal (a 4xx or an INVALID_ARGUMENT-class code naming what
// was wrong), hostile strings are stored as text and never as SQL, and both
// processes keep serving afterwards.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "tests/e2e/gateway_fixture.h"

namespace grassroots {
namespace {

using orgs::v1::Area;
using testing::GatewayProcessTest;

constexpr char kGetArea[] = "/grassroots.orgs.v1.AreaService/GetArea";
constexpr char kListAreas[] = "/grassroots.orgs.v1.AreaService/ListAreas";
constexpr char kCreateArea[] = "/grassroots.orgs.v1.AreaService/CreateArea";

class BadInputTest : public GatewayProcessTest {
 protected:
  testing::HttpResult Json(const std::string& path, const std::string& body) {
    return PostJson(path, body, {{"x-api-key", "city-secret"}});
  }

  // Sends `bytes` as the request message of `method` on the gateway's gRPC
  // edge, unparsed (the gateway forwards message bytes as they are).
  grpc::Status RawGrpc(const std::string& method, const std::string& bytes) {
    grpc::GenericStub stub(GatewayChannel());
    auto context = Context("city-secret");
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status status;
    stub.UnaryCall(context.get(), method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) {
                     std::lock_guard<std::mutex> lock(mu);
                     status = std::move(s);
                     done = true;
                     cv.notify_one();
                   });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    return status;
  }

  // Both processes still answer a real read, on both edges.
  void ExpectStillServing(const std::string& area_id) {
    EXPECT_TRUE(Get(Context("city-secret"), area_id).ok());
    EXPECT_EQ(Json(kGetArea, absl::StrCat(R"({"id":")", area_id, R"("})")).status, 200);
    EXPECT_EQ(http_->Get("/healthz").status, 200);
  }
};

TEST_F(BadInputTest, MalformedJsonIsRefusedWithA400AndTheServersStayUp) {
  Area d, s1, s2;
  MakeTree(&d, &s1, &s2);
  const std::vector<std::string> bodies = {
      "",                            // no body at all
      "{",                           // cut short
      R"({"id": "x",})",             // trailing comma
      R"({"id": 'x'})",              // single quotes
      R"({"id": "x"} {"id": "y"})",  // two documents
      "{\"id\": \"\xff\xfe\"}",      // invalid UTF-8 inside a string
      "{\"id\": \"\xc0\xaf\"}",      // overlong encoding of '/'
      R"({"id": "\ud800"})",         // lone surrogate escape
      R"({"id": 12})",               // number for a string
      "\xef\xbb\xbf\xef\xbb\xbf{}",  // byte order marks
  };
  for (const auto& body : bodies) {
    auto answer = Json(kGetArea, body);
    EXPECT_EQ(answer.status, 400) << body << " -> " << answer.body;
    EXPECT_NE(answer.body.find("\"code\""), std::string::npos) << body << " -> " << answer.body;
  }
  ExpectStillServing(d.id());
}

TEST_F(BadInputTest, DeeplyNestedBodiesAreRefusedNotRecursedInto) {
  Area d, s1, s2;
  MakeTree(&d, &s1, &s2);
  // Far deeper than any message of the suite, inside the body limit: a
  // parser that recursed per level would exhaust the stack.
  for (const int depth : {200, 100000}) {
    std::string arrays =
        absl::StrCat(R"({"id":)", std::string(depth, '['), std::string(depth, ']'), "}");
    EXPECT_EQ(Json(kGetArea, arrays).status, 400) << depth;
    std::string objects;
    for (int i = 0; i < depth; ++i) objects += R"({"area":)";
    objects += "{}";
    objects += std::string(depth, '}');
    EXPECT_EQ(Json(kCreateArea, objects).status, 400) << depth;
  }
  ExpectStillServing(d.id());
}

TEST_F(BadInputTest, NumbersOutOfRangeAreRefusedAndHugePagesAreCapped) {
  Area d, s1, s2;
  MakeTree(&d, &s1, &s2);
  for (const std::string page : {"99999999999", "1e40", "1.5", "\"ten\"", "-2147483649", "NaN"}) {
    auto answer = Json(kListAreas, absl::StrCat(R"({"pageSize":)", page, "}"));
    EXPECT_EQ(answer.status, 400) << page << " -> " << answer.body;
  }
  auto negative = Json(kListAreas, R"({"pageSize":-1})");
  EXPECT_EQ(negative.status, 400);
  EXPECT_NE(negative.body.find("page_size"), std::string::npos) << negative.body;
  // The largest int32 is a valid request: answered with at most a page.
  auto huge = Json(kListAreas, R"({"pageSize":2147483647,"subtree":true})");
  EXPECT_EQ(huge.status, 200) << huge.body;
  EXPECT_NE(huge.body.find(s2.id()), std::string::npos) << huge.body;
  // An enum by a name that does not exist, and by a number out of range.
  EXPECT_EQ(Json(kCreateArea, R"({"area":{"kind":"PLANET","code":"x","displayName":"x"}})").status,
            400);
  auto unknown_number = Json(kCreateArea, R"({"area":{"kind":77,"code":"x","displayName":"x"}})");
  EXPECT_EQ(unknown_number.status, 400) << unknown_number.body;
  ExpectStillServing(d.id());
}

TEST_F(BadInputTest, SqlMetacharactersAreStoredAsTextOrRefusedByName) {
  Area d, s1, s2;
  MakeTree(&d, &s1, &s2);
  const std::string hostile = R"(x'); DROP TABLE areas; -- " \ % _ ` ; /* */ OR 1=1 #)";
  // A display name is free text: stored and returned byte for byte.
  Area stored;
  grpc::ClientContext context;
  context.AddMetadata("x-api-key", "city-secret");
  orgs::v1::CreateAreaRequest create;
  create.mutable_area()->set_kind(orgs::v1::COMMUNITY);
  create.mutable_area()->set_code("c-hostile");
  create.mutable_area()->set_display_name(hostile);
  create.mutable_area()->set_parent_id(s1.id());
  create.set_request_id("bad-input-hostile");
  ASSERT_TRUE(stub_->CreateArea(&context, create, &stored).ok());
  EXPECT_EQ(stored.display_name(), hostile);
  grpc::ClientContext read;
  read.AddMetadata("x-api-key", "city-secret");
  orgs::v1::GetAreaRequest get;
  get.set_id(stored.id());
  Area again;
  ASSERT_TRUE(stub_->GetArea(&read, get, &again).ok());
  EXPECT_EQ(again.display_name(), hostile);
  // An id or a code is not free text: refused, naming the field.
  auto by_id = Json(kGetArea, R"({"id":"1' OR '1'='1"})");
  EXPECT_NE(by_id.status, 200);
  EXPECT_LT(by_id.status, 500) << by_id.body;
  auto by_code =
      Json(kCreateArea, absl::StrCat(R"({"area":{"kind":"COMMUNITY","code":"c' OR 1=1 --",)",
                                     R"("displayName":"x","parentId":")", s1.id(), R"("}})"));
  EXPECT_EQ(by_code.status, 400);
  EXPECT_NE(by_code.body.find("code"), std::string::npos) << by_code.body;
  // A control character in free text is refused, naming the field.
  auto control = Json(kCreateArea,
                      absl::StrCat(R"({"area":{"kind":"COMMUNITY","code":"c-ctl",)",
                                   R"("displayName":"a\u0000b","parentId":")", s1.id(), R"("}})"));
  EXPECT_EQ(control.status, 400);
  EXPECT_NE(control.body.find("display_name"), std::string::npos) << control.body;
  // The tree is whole: the street still has exactly the hostile community.
  auto listed = Json(kListAreas, absl::StrCat(R"({"parentId":")", s1.id(), R"("})"));
  EXPECT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find("c-hostile"), std::string::npos) << listed.body;
  ExpectStillServing(d.id());
}

TEST_F(BadInputTest, MalformedProtobufOnTheGrpcEdgeIsRefused) {
  Area d, s1, s2;
  MakeTree(&d, &s1, &s2);
  const std::string get = "/grassroots.orgs.v1.AreaService/GetArea";
  // A field tag claiming a length far past the end; a truncated varint; a
  // string field holding invalid UTF-8 (proto3 strings must be UTF-8); a
  // group start with no end.
  const std::vector<std::string> messages = {
      std::string("\x0a\xff\xff\xff\x0f", 5) + "short",
      std::string("\x08\xff\xff\xff", 4),
      std::string("\x0a\x02\xff\xfe", 4),
      std::string("\x0b", 1),
  };
  for (const auto& bytes : messages) {
    auto status = RawGrpc(get, bytes);
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_NE(status.error_code(), grpc::StatusCode::UNKNOWN) << status.error_message();
  }
  // A message over the receive limit: refused before it is parsed.
  auto oversized = RawGrpc(get, std::string("\x0a\x80\x80\x80\x03", 5) + std::string(6 << 20, 'a'));
  EXPECT_EQ(oversized.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << oversized.error_message();
  ExpectStillServing(d.id());
}

}  // namespace
}  // namespace grassroots
