#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grassroots {

// Free text a caller sends (notes, reasons, memos): at most `max_bytes` of
// UTF-8 without control characters; empty is refused when `required`.
// INVALID_ARGUMENT on `field`: TEXT_REQUIRED, TEXT_TOO_LONG, TEXT_INVALID.
absl::Status ValidateText(absl::string_view field, absl::string_view text, size_t max_bytes,
                          bool required);

}  // namespace grassroots
