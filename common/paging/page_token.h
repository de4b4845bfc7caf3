#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grassroots {

// Opaque page tokens for keyset paging. A token binds the position (the last
// key returned) to the query it came from, so reusing it with other filters
// is refused instead of returning a wrong page.
std::string EncodePageToken(absl::string_view query_fingerprint, absl::string_view last_key);
// INVALID_ARGUMENT naming page_token when it is malformed or from another query.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view query_fingerprint);

// Page sizes: 0 means the default; above the maximum is clamped (AIP-158).
absl::StatusOr<int> EffectivePageSize(int requested, int default_size = 100, int max_size = 1000);

}  // namespace grassroots
