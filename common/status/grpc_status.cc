#include "common/status/grpc_status.h"

#include "common/status/errors.h"
#include "grassroots/common/v1/error.pb.h"

namespace grassroots {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  auto reason = ErrorReason(status);
  if (!reason) {
    // Internal failures never leak SQL or stack details to callers.
    if (status.code() == absl::StatusCode::kInternal ||
        status.code() == absl::StatusCode::kUnknown) {
      message = "internal error";
    }
    reason = std::string(absl::StatusCodeToString(status.code()));
    for (char& c : *reason) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  common::v1::ErrorInfo info;
  info.set_reason(*reason);
  info.set_domain("grassroots");
  ForEachErrorMetadata(status, [&info](absl::string_view key, absl::string_view value) {
    (*info.mutable_metadata())[std::string(key)] = std::string(value);
  });
  common::v1::RpcStatus details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  details.add_details()->PackFrom(info);
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  common::v1::RpcStatus details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      common::v1::ErrorInfo info;
      if (any.UnpackTo(&info)) {
        out = WithReason(out, info.reason());
        for (const auto& [key, value] : info.metadata()) {
          if (key == "field") {
            out.SetPayload("grassroots/field", absl::Cord(value));
          } else {
            out = WithMetadata(out, key, value);
          }
        }
      }
    }
  }
  return out;
}

}  // namespace grassroots
