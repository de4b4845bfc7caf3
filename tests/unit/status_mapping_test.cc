#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "grassroots/common/v1/error.pb.h"

namespace grassroots {
namespace {

TEST(StatusMappingTest, InvalidArgumentNamesTheFieldAndReason) {
  grpc::Status status =
      ToGrpcStatus(InvalidField("area.code", "AREA_CODE_INVALID", "must be lowercase"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "area.code: must be lowercase");
  common::v1::RpcStatus details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  common::v1::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "AREA_CODE_INVALID");
  EXPECT_EQ(info.metadata().at("field"), "area.code");
  // And back, as a client inside the suite sees it.
  absl::Status back = FromGrpcStatus(status);
  EXPECT_EQ(ErrorReason(back), "AREA_CODE_INVALID");
  EXPECT_EQ(ErrorField(back), "area.code");
}

TEST(StatusMappingTest, InternalDetailsNeverReachTheCaller) {
  grpc::Status status = ToGrpcStatus(absl::InternalError("database error 1146: table x missing"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(status.error_message(), "internal error");
}

TEST(StatusMappingTest, EveryCodeMapsToTheSameNumber) {
  for (int code = 1; code <= 16; ++code) {
    auto mapped = ToGrpcStatus(absl::Status(static_cast<absl::StatusCode>(code), "x"));
    EXPECT_EQ(static_cast<int>(mapped.error_code()), code);
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace grassroots
