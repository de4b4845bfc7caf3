#include "services/gateway/connect_protocol.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grassroots/common/v1/error.pb.h"
#include "services/gateway/json_transcoder.h"

namespace grassroots::gateway {
namespace {

// A JSON string literal, escaped by protobuf's JSON printer.
std::string JsonString(absl::string_view text) {
  google::protobuf::Value value;
  value.set_string_value(std::string(text));
  std::string json;
  // Fails only on invalid UTF-8, which the text then loses.
  if (!google::protobuf::util::MessageToJsonString(value, &json).ok()) return R"("")";
  return json;
}

}  // namespace

const char* ConnectCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
      return "canceled";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "invalid_argument";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "deadline_exceeded";
    case grpc::StatusCode::NOT_FOUND:
      return "not_found";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "already_exists";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "permission_denied";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "resource_exhausted";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "failed_precondition";
    case grpc::StatusCode::ABORTED:
      return "aborted";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "out_of_range";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "unimplemented";
    case grpc::StatusCode::INTERNAL:
      return "internal";
    case grpc::StatusCode::UNAVAILABLE:
      return "unavailable";
    case grpc::StatusCode::DATA_LOSS:
      return "data_loss";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "unauthenticated";
    default:
      return "unknown";
  }
}

int ConnectHttpStatus(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    default:
      return 500;
  }
}

std::string ConnectErrorBody(const grpc::Status& status) {
  // Written field by field so the keys keep one order: clients and tests
  // may compare bodies.
  std::string body = absl::StrCat(R"({"code":)", JsonString(ConnectCodeName(status.error_code())));
  if (!status.error_message().empty()) {
    absl::StrAppend(&body, R"(,"message":)", JsonString(status.error_message()));
  }
  common::v1::RpcStatus details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details()) &&
      details.details_size() > 0) {
    absl::StrAppend(&body, R"(,"details":[)");
    for (int i = 0; i < details.details_size(); ++i) {
      const auto& any = details.details(i);
      const std::string type(absl::StripPrefix(any.type_url(), "type.googleapis.com/"));
      std::string value = absl::Base64Escape(any.value());
      while (!value.empty() && value.back() == '=') value.pop_back();
      absl::StrAppend(&body, i == 0 ? "" : ",", R"({"type":)", JsonString(type), R"(,"value":)",
                      JsonString(value));
      if (const auto* descriptor = JsonTranscoder::FindMessageType(type)) {
        auto debug = JsonTranscoder::BinaryToJson(*descriptor, any.value());
        if (debug.ok()) absl::StrAppend(&body, R"(,"debug":)", *debug);
      }
      absl::StrAppend(&body, "}");
    }
    absl::StrAppend(&body, "]");
  }
  absl::StrAppend(&body, "}");
  return body;
}

ConnectTimeout ParseConnectTimeout(absl::string_view header) {
  ConnectTimeout out;
  header = absl::StripAsciiWhitespace(header);
  if (header.empty()) return out;
  int64_t ms = 0;
  if (header.size() > 10 || !absl::SimpleAtoi(header, &ms) || ms <= 0 ||
      !absl::ascii_isdigit(static_cast<unsigned char>(header[0]))) {
    out.valid = false;
    return out;
  }
  out.timeout = absl::Milliseconds(ms);
  return out;
}

std::optional<std::string> RetryAfterSeconds(const grpc::Status& status) {
  common::v1::RpcStatus details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return std::nullopt;
  }
  for (const auto& any : details.details()) {
    common::v1::ErrorInfo info;
    if (!any.UnpackTo(&info)) continue;
    auto it = info.metadata().find("retry_after_seconds");
    if (it != info.metadata().end()) return it->second;
  }
  return std::nullopt;
}

}  // namespace grassroots::gateway
