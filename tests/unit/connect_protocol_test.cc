// The Connect protocol's error and timeout forms.
#include "services/gateway/connect_protocol.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "services/gateway/connect_handler.h"

namespace grassroots::gateway {
namespace {

TEST(ConnectProtocolTest, EveryCodeHasItsNameAndHttpStatus) {
  struct Row {
    grpc::StatusCode code;
    const char* name;
    int http;
  };
  const Row rows[] = {
      {grpc::StatusCode::CANCELLED, "canceled", 499},
      {grpc::StatusCode::UNKNOWN, "unknown", 500},
      {grpc::StatusCode::INVALID_ARGUMENT, "invalid_argument", 400},
      {grpc::StatusCode::DEADLINE_EXCEEDED, "deadline_exceeded", 504},
      {grpc::StatusCode::NOT_FOUND, "not_found", 404},
      {grpc::StatusCode::ALREADY_EXISTS, "already_exists", 409},
      {grpc::StatusCode::PERMISSION_DENIED, "permission_denied", 403},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, "resource_exhausted", 429},
      {grpc::StatusCode::FAILED_PRECONDITION, "failed_precondition", 400},
      {grpc::StatusCode::ABORTED, "aborted", 409},
      {grpc::StatusCode::OUT_OF_RANGE, "out_of_range", 400},
      {grpc::StatusCode::UNIMPLEMENTED, "unimplemented", 501},
      {grpc::StatusCode::INTERNAL, "internal", 500},
      {grpc::StatusCode::UNAVAILABLE, "unavailable", 503},
      {grpc::StatusCode::DATA_LOSS, "data_loss", 500},
      {grpc::StatusCode::UNAUTHENTICATED, "unauthenticated", 401},
  };
  for (const Row& row : rows) {
    EXPECT_STREQ(ConnectCodeName(row.code), row.name);
    EXPECT_EQ(ConnectHttpStatus(row.code), row.http) << row.name;
  }
}

TEST(ConnectProtocolTest, ErrorBodyCarriesCodeMessageAndDetails) {
  const grpc::Status status =
      ToGrpcStatus(InvalidField("area.code", "CODE_INVALID", "must start with a letter \"x\""));
  const std::string body = ConnectErrorBody(status);
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(body, &parsed).ok()) << body;
  EXPECT_EQ(parsed.fields().at("code").string_value(), "invalid_argument");
  EXPECT_EQ(parsed.fields().at("message").string_value(),
            "area.code: must start with a letter \"x\"");
  const auto& detail = parsed.fields().at("details").list_value().values(0).struct_value();
  EXPECT_EQ(detail.fields().at("type").string_value(), "grassroots.common.v1.ErrorInfo");
  EXPECT_EQ(detail.fields().at("value").string_value().find('='), std::string::npos)
      << "Connect sends base64 without padding";
  const auto& debug = detail.fields().at("debug").struct_value();
  EXPECT_EQ(debug.fields().at("reason").string_value(), "CODE_INVALID");
  EXPECT_EQ(debug.fields().at("metadata").struct_value().fields().at("field").string_value(),
            "area.code");
  // One order of keys every time.
  EXPECT_EQ(body, ConnectErrorBody(status));
  EXPECT_EQ(body.rfind(R"({"code":"invalid_argument","message":)", 0), 0u) << body;
}

TEST(ConnectProtocolTest, PlainStatusHasNoDetails) {
  EXPECT_EQ(ConnectErrorBody(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")),
            R"({"code":"unavailable","message":"down"})");
}

TEST(ConnectProtocolTest, RateLimitAnswerSaysWhenToRetry) {
  const grpc::Status status = ToGrpcStatus(WithMetadata(
      ResourceExhausted("RATE_LIMITED", "too many calls"), "retry_after_seconds", "3"));
  EXPECT_EQ(RetryAfterSeconds(status), "3");
  HttpResponse response = ConnectErrorResponse(status);
  EXPECT_EQ(response.status, 429);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Retry-After");
  EXPECT_EQ(response.headers[0].second, "3");
  EXPECT_FALSE(RetryAfterSeconds(grpc::Status(grpc::StatusCode::INTERNAL, "x")).has_value());
}

TEST(ConnectProtocolTest, TimeoutHeader) {
  EXPECT_TRUE(ParseConnectTimeout("").valid);
  EXPECT_FALSE(ParseConnectTimeout("").timeout.has_value());
  EXPECT_EQ(*ParseConnectTimeout("1500").timeout, absl::Milliseconds(1500));
  for (const char* bad : {"0", "-5", "+5", "1.5", "soon", "12345678901"}) {
    EXPECT_FALSE(ParseConnectTimeout(bad).valid) << bad;
  }
}

}  // namespace
}  // namespace grassroots::gateway
