#include "services/gateway/open311_json.h"

#include <google/protobuf/util/json_util.h>

namespace grassroots::gateway {

google::protobuf::Value JsonString(std::string text) {
  google::protobuf::Value v;
  v.set_string_value(std::move(text));
  return v;
}

google::protobuf::Value JsonNumber(double number) {
  google::protobuf::Value v;
  v.set_number_value(number);
  return v;
}

google::protobuf::Value JsonBool(bool value) {
  google::protobuf::Value v;
  v.set_bool_value(value);
  return v;
}

google::protobuf::Value JsonNull() {
  google::protobuf::Value v;
  v.set_null_value(google::protobuf::NULL_VALUE);
  return v;
}

google::protobuf::Value JsonTime(absl::Time time) {
  return JsonString(absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", time, absl::UTCTimeZone()));
}

std::string ToJsonText(const google::protobuf::Value& value) {
  std::string out;
  // A Value built here always prints.
  (void)google::protobuf::util::MessageToJsonString(value, &out);
  return out;
}

}  // namespace grassroots::gateway
