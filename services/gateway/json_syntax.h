#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grassroots::gateway {

// Whether `json` is one JSON text by RFC 8259, strictly: protobuf's JSON
// parser accepts single quotes, trailing commas and more, which a caller
// should learn are wrong rather than have guessed at. Checked without
// recursion (a nested body cannot exhaust the stack) and with strings
// required to be well-formed UTF-8. INVALID_ARGUMENT (reason JSON_INVALID)
// naming the first fault and its byte offset.
absl::Status CheckJsonSyntax(absl::string_view json);

}  // namespace grassroots::gateway
