#pragma once

#include <google/protobuf/descriptor.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grassroots::gateway {

// proto3 JSON <-> protobuf wire bytes for any message type the linked protos
// declare, driven by the descriptors alone: a new method or field needs no
// code here. The standard mapping: lowerCamelCase names (the proto names are
// accepted on input too), 64-bit integers as strings, enums by name,
// Timestamp and Duration as RFC 3339 strings, FieldMask as a comma-separated
// string, wrappers as plain values. Unknown fields are refused so a typo is
// not silently dropped. One leniency of protobuf's parser is kept: a lone
// value where a repeated field is expected is read as a list of one.
// Shared by the gateway's JSON edge and the CLI.
class JsonTranscoder {
 public:
  // INVALID_ARGUMENT (reason JSON_INVALID) naming what the parser found wrong.
  // An empty body is the empty message.
  static absl::StatusOr<std::string> JsonToBinary(const google::protobuf::Descriptor& type,
                                                  absl::string_view json);
  // INTERNAL when the bytes are not a `type` (a backend answered garbage).
  static absl::StatusOr<std::string> BinaryToJson(const google::protobuf::Descriptor& type,
                                                  absl::string_view binary);

  // Full names of the types, for example "grassroots.orgs.v1.GetAreaRequest".
  static const google::protobuf::Descriptor* FindMessageType(absl::string_view full_name);
};

}  // namespace grassroots::gateway
