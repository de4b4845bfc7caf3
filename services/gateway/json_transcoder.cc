#include "services/gateway/json_transcoder.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "services/gateway/json_syntax.h"

namespace grassroots::gateway {
namespace {

google::protobuf::Message* NewMessage(const google::protobuf::Descriptor& type,
                                      google::protobuf::Arena* arena) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type);
  return prototype == nullptr ? nullptr : prototype->New(arena);
}

// A FieldMask path protobuf's JSON mapping carries both ways unchanged:
// dot-separated lower_snake_case names, each underscore followed by a letter.
bool IsCanonicalPath(absl::string_view path) {
  if (path.empty()) return false;
  for (absl::string_view name : absl::StrSplit(path, '.')) {
    if (name.empty() || !absl::ascii_islower(static_cast<unsigned char>(name[0]))) return false;
    for (size_t i = 1; i < name.size(); ++i) {
      const auto c = static_cast<unsigned char>(name[i]);
      if (c == '_') {
        if (i + 1 >= name.size() || !absl::ascii_islower(static_cast<unsigned char>(name[i + 1]))) {
          return false;
        }
      } else if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c)) {
        return false;
      }
    }
  }
  return true;
}

// INVALID_ARGUMENT naming the first FieldMask path in `message` (at any
// depth) that is not a field path: protobuf's parser would turn it into a
// path that names nothing, or names another field when printed back.
absl::Status CheckFieldMasks(const google::protobuf::Message& message) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  if (descriptor->full_name() == "google.protobuf.FieldMask") {
    const auto* paths = descriptor->FindFieldByName("paths");
    for (int i = 0; i < reflection->FieldSize(message, paths); ++i) {
      const std::string path = reflection->GetRepeatedString(message, paths, i);
      if (!IsCanonicalPath(path)) {
        return WithReason(absl::InvalidArgumentError(
                              absl::StrCat("field mask path '", path, "' does not name a field")),
                          "JSON_INVALID");
      }
    }
    return absl::OkStatus();
  }
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        if (auto s = CheckFieldMasks(reflection->GetRepeatedMessage(message, field, i)); !s.ok()) {
          return s;
        }
      }
    } else if (auto s = CheckFieldMasks(reflection->GetMessage(message, field)); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> JsonTranscoder::JsonToBinary(const google::protobuf::Descriptor& type,
                                                         absl::string_view json) {
  google::protobuf::Arena arena;
  google::protobuf::Message* message = NewMessage(type, &arena);
  if (message == nullptr) return absl::InternalError("no generated type for " + type.full_name());
  if (!absl::StripAsciiWhitespace(json).empty()) {
    if (auto s = CheckJsonSyntax(json); !s.ok()) return s;
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
    if (auto s = CheckFieldMasks(*message); !s.ok()) return s;
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
