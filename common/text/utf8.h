#pragma once

#include "absl/strings/string_view.h"

namespace grassroots {

// Well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF) with
// no C0/C1 control characters.
bool IsPrintableUtf8(absl::string_view text);

}  // namespace grassroots
