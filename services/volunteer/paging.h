#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace grassroots::volunteer {

// A listing's page as the handler reads it from the request: the effective
// size (default 100, at most 1000) and the key to continue after, from a
// token bound to the query (scope and filters) that issued it.
struct Page {
  int size = 0;
  std::string query;
  std::string after;  // empty: from the start
};

absl::StatusOr<Page> OpenPage(std::string query, int32_t page_size, const std::string& token);
// The key as a sequence number (0 from the start); INVALID_ARGUMENT on page_token otherwise.
absl::StatusOr<int64_t> AfterSequence(const Page& page);

// The token for the page after `last_key`; empty (the end) when it is empty.
std::string TokenAfter(const Page& page, const std::string& last_key);

}  // namespace grassroots::volunteer
