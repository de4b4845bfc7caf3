#pragma once

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grassroots::gateway {

// The parameters of one Open311 GeoReport v2 call, from its query string
// and its body alike: form-encoded (application/x-www-form-urlencoded) or
// a flat JSON object, as the spec's clients send them. `attribute[key]`
// (or, in JSON, an "attribute" object) fills `attributes`.
struct Open311Params {
  std::map<std::string, std::string> values;
  std::map<std::string, std::string> attributes;

  // The value, or empty.
  const std::string& Get(const std::string& name) const;
  bool Has(const std::string& name) const { return values.contains(name); }
};

// %XX and '+' decoded; nullopt when a %XX is malformed.
std::optional<std::string> UrlDecode(absl::string_view text);

// Adds "a=1&b=2" to `params`. INVALID_ARGUMENT naming the parameter whose
// encoding is broken.
absl::Status AddFormEncoded(absl::string_view text, Open311Params* params);

// Adds a JSON object's members: strings, numbers and booleans as text, the
// "attribute" object's members as attributes.
absl::Status AddJsonObject(absl::string_view json, Open311Params* params);

// The query and the body of a request, by its Content-Type (form-encoded
// when none is named).
absl::StatusOr<Open311Params> ReadOpen311Params(absl::string_view query, absl::string_view body,
                                                absl::string_view content_type);

}  // namespace grassroots::gateway
