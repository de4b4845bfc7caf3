#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grassroots {

// Etags are the row version in decimal (optimistic concurrency, AIP-154).
std::string EtagOf(int64_t version);

// ABORTED (ETAG_MISMATCH) when `etag` is not the record's current version,
// naming `what` changed ("the household"); INVALID_ARGUMENT on `field` when
// it is not an etag at all. An empty etag skips the check.
absl::Status CheckEtag(absl::string_view field, absl::string_view etag, int64_t version,
                       absl::string_view what);

// The version an etag this service wrote stands for (0 when malformed).
int64_t VersionOf(absl::string_view etag);

}  // namespace grassroots
