#include "services/gateway/json_transcoder.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::gateway {
namespace {

google::protobuf::Message* NewMessage(const google::protobuf::Descriptor& type,
                                      google::protobuf::Arena* arena) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type);
  return prototype == nullptr ? nullptr : prototype->New(arena);
}

}  // namespace

absl::StatusOr<std::string> JsonTranscoder::JsonToBinary(const google::protobuf::Descriptor& type,
                                                         absl::string_view json) {
  google::protobuf::Arena arena;
  google::protobuf::Message* message = NewMessage(type, &arena);
  if (message == nullptr) return absl::InternalError("no generated type for " + type.full_name());
  if (!absl::StripAsciiWhitespace(json).empty()) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    auto parsed = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(json.data(), json.size()), message, options);
    if (!parsed.ok()) {
      return WithReason(
          absl::InvalidArgumentError(absl::StrCat("request body is not a valid ", type.full_name(),
                                                  " in JSON: ", std::string(parsed.message()))),
          "JSON_INVALID");
    }
  }
  std::string binary;
  if (!message->SerializeToString(&binary)) {
    return WithReason(absl::InvalidArgumentError("request cannot be encoded"), "JSON_INVALID");
  }
  return binary;
}

absl::StatusOr<std::string> JsonTranscoder::BinaryToJson(const google::protobuf::Descriptor& type,
                                                         absl::string_view binary) {
  google::protobuf::Arena arena;
  google::protobuf::Message* message = NewMessage(type, &arena);
  if (message == nullptr) return absl::InternalError("no generated type for " + type.full_name());
  if (!message->ParseFromArray(binary.data(), static_cast<int>(binary.size()))) {
    return absl::InternalError("answer is not a valid " + type.full_name());
  }
  std::string json;
  auto printed = google::protobuf::util::MessageToJsonString(*message, &json);
  if (!printed.ok()) return absl::InternalError(std::string(printed.message()));
  return json;
}

const google::protobuf::Descriptor* JsonTranscoder::FindMessageType(absl::string_view full_name) {
  return google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
      std::string(full_name));
}

}  // namespace grassroots::gateway
