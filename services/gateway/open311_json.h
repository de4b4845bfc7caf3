#pragma once

#include <google/protobuf/struct.pb.h>

#include <string>

#include "absl/time/time.h"

namespace grassroots::gateway {

// The small JSON vocabulary the Open311 answers are built of.
google::protobuf::Value JsonString(std::string text);
google::protobuf::Value JsonNumber(double number);
google::protobuf::Value JsonBool(bool value);
google::protobuf::Value JsonNull();
// ISO 8601 with its offset, as the spec's examples: "2026-12-02T04:44:24+00:00".
google::protobuf::Value JsonTime(absl::Time time);
std::string ToJsonText(const google::protobuf::Value& value);

}  // namespace grassroots::gateway
