#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace grassroots::grid {

// One page of a listing as the handler reads it from the request: the
// effective size (default 100, at most 1000), and the position after which
// to continue, from a token bound to the query (scope and filters) it came
// from, so a token reused with other filters is refused.
struct PageRequest {
  int size = 0;
  std::string query;
  std::string after;  // empty: from the start
};

absl::StatusOr<PageRequest> ReadPage(std::string query, int32_t page_size,
                                     const std::string& page_token);

// The token for the page after `last_key`; empty (the end) when it is empty.
std::string NextPageToken(const PageRequest& page, const std::string& last_key);

}  // namespace grassroots::grid
