#include "common/text/utf8.h"

#include <gtest/gtest.h>

namespace grassroots {
namespace {

TEST(Utf8Test, AcceptsChineseAndAscii) {
  EXPECT_TRUE(IsPrintableUtf8("Huangpu District"));
  EXPECT_TRUE(IsPrintableUtf8("\xe9\xbb\x84\xe6\xb5\xa6\xe5\x8c\xba"));  // 黄浦区
  EXPECT_TRUE(IsPrintableUtf8("\xf0\x9f\x8f\xa0"));                      // U+1F3E0
}

TEST(Utf8Test, RefusesMalformedAndControl) {
  EXPECT_FALSE(IsPrintableUtf8("bad\xff"));
  EXPECT_FALSE(IsPrintableUtf8("\xe9\xbb"));      // truncated
  EXPECT_FALSE(IsPrintableUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(IsPrintableUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsPrintableUtf8("line\nbreak"));
  EXPECT_FALSE(IsPrintableUtf8(std::string("nul\0x", 5)));
}

}  // namespace
}  // namespace grassroots
