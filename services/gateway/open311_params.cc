#include "services/gateway/open311_params.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"

namespace grassroots::gateway {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// "attribute[surface]" -> "surface"; nullopt for any other name.
std::optional<std::string> AttributeKey(absl::string_view name) {
  constexpr absl::string_view kPrefix = "attribute[";
  if (!absl::StartsWith(name, kPrefix) || !absl::EndsWith(name, "]")) return std::nullopt;
  return std::string(name.substr(kPrefix.size(), name.size() - kPrefix.size() - 1));
}

void Add(Open311Params* params, const std::string& name, std::string value) {
  if (auto key = AttributeKey(name)) {
    params->attributes[*key] = std::move(value);
  } else {
    params->values[name] = std::move(value);
  }
}

std::optional<std::string> ScalarText(const google::protobuf::Value& value) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kStringValue:
      return value.string_value();
    case google::protobuf::Value::kNumberValue:
      // 15 significant digits: a coordinate keeps its every digit.
      return absl::StrFormat("%.15g", value.number_value());
    case google::protobuf::Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    default:
      return std::nullopt;
  }
}

}  // namespace

const std::string& Open311Params::Get(const std::string& name) const {
  static const std::string* const kEmpty = new std::string();
  auto it = values.find(name);
  return it == values.end() ? *kEmpty : it->second;
}

std::optional<std::string> UrlDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[i + 1]), low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

absl::Status AddFormEncoded(absl::string_view text, Open311Params* params) {
  for (absl::string_view pair : absl::StrSplit(text, '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(pair, '=');
    auto name = UrlDecode(parts.first);
    auto value = UrlDecode(parts.second);
    if (!name || !value) {
      return InvalidField(name ? *name : std::string(parts.first), "PARAMETER_INVALID",
                          "is not URL-encoded correctly");
    }
    Add(params, *name, *std::move(value));
  }
  return absl::OkStatus();
}

absl::Status AddJsonObject(absl::string_view json, Open311Params* params) {
  google::protobuf::Struct object;
  if (!google::protobuf::util::JsonStringToMessage(std::string(json), &object).ok()) {
    return WithReason(absl::InvalidArgumentError("the body is not a JSON object"), "JSON_INVALID");
  }
  for (const auto& [name, value] : object.fields()) {
    if (name == "attribute" && value.has_struct_value()) {
      for (const auto& [key, attribute] : value.struct_value().fields()) {
        auto text = ScalarText(attribute);
        if (!text) {
          return InvalidField(absl::StrCat("attribute[", key, "]"), "PARAMETER_INVALID",
                              "must be a string or a number");
        }
        params->attributes[key] = *std::move(text);
      }
      continue;
    }
    if (value.has_null_value()) continue;
    auto text = ScalarText(value);
    if (!text) return InvalidField(name, "PARAMETER_INVALID", "must be a string or a number");
    Add(params, name, *std::move(text));
  }
  return absl::OkStatus();
}

absl::StatusOr<Open311Params> ReadOpen311Params(absl::string_view query, absl::string_view body,
                                                absl::string_view content_type) {
  Open311Params params;
  if (auto s = AddFormEncoded(query, &params); !s.ok()) return s;
  const absl::string_view media =
      absl::StripAsciiWhitespace(content_type.substr(0, content_type.find(';')));
  if (absl::EqualsIgnoreCase(media, "application/json")) {
    if (!absl::StripAsciiWhitespace(body).empty()) {
      if (auto s = AddJsonObject(body, &params); !s.ok()) return s;
    }
  } else if (media.empty() || absl::EqualsIgnoreCase(media, "application/x-www-form-urlencoded")) {
    if (auto s = AddFormEncoded(body, &params); !s.ok()) return s;
  } else {
    return WithReason(
        absl::InvalidArgumentError("Content-Type must be application/x-www-form-urlencoded or "
                                   "application/json"),
        "CONTENT_TYPE_UNSUPPORTED");
  }
  return params;
}

}  // namespace grassroots::gateway
