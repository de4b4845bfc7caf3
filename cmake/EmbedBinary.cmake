# Script mode: writes a C++ file defining `std::string_view ${SYMBOL}()` with
# the bytes of ${INPUT} (for example a protoc descriptor set).
file(READ ${INPUT} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
file(WRITE ${OUT}.tmp "// Generated from ${INPUT}; do not edit.
#include <string_view>

std::string_view ${SYMBOL}() {
  static constexpr char kBytes[] = \"${escaped}\";
  return std::string_view(kBytes, ${size});
}
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
