// Personal data at rest: encryption bound to its record, keyed hashes, masks.
#include "common/crypto/personal_data.h"

#include <gtest/gtest.h>

namespace grassroots {
namespace {

const std::string kKey = "personal-data-test-key-0123456789abcdef";

TEST(PersonalDataTest, EncryptsAndDecryptsBoundToItsContext) {
  auto cipher = *PersonalDataCipher::Create(kKey);
  const std::string sealed = cipher->Encrypt("13812345678", "mb_1/phone");
  EXPECT_EQ(sealed.find("13812345678"), std::string::npos);
  EXPECT_NE(sealed, cipher->Encrypt("13812345678", "mb_1/phone")) << "fresh nonce each time";
  EXPECT_EQ(*cipher->Decrypt(sealed, "mb_1/phone"), "13812345678");
  // Moved to another record or field, altered, or under another key: refused.
  EXPECT_EQ(cipher->Decrypt(sealed, "mb_2/phone").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(cipher->Decrypt(sealed, "mb_1/id_number").ok());
  std::string altered = sealed;
  altered[20] ^= 1;
  EXPECT_FALSE(cipher->Decrypt(altered, "mb_1/phone").ok());
  auto other = *PersonalDataCipher::Create(kKey + "x");
  EXPECT_FALSE(other->Decrypt(sealed, "mb_1/phone").ok());
  EXPECT_FALSE(cipher->Decrypt("short", "mb_1/phone").ok());
  EXPECT_EQ(*cipher->Decrypt(cipher->Encrypt("", "c"), "c"), "");
}

TEST(PersonalDataTest, KeyedHashesMatchExactlyAndDependOnKeyAndKind) {
  auto cipher = *PersonalDataCipher::Create(kKey);
  auto other = *PersonalDataCipher::Create(kKey + "x");
  const std::string hash = cipher->KeyedHash("phone", "13812345678");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash, cipher->KeyedHash("phone", "13812345678"));
  EXPECT_NE(hash, cipher->KeyedHash("phone", "13812345679"));
  EXPECT_NE(hash, cipher->KeyedHash("id_number", "13812345678"));
  EXPECT_NE(hash, other->KeyedHash("phone", "13812345678"));
}

TEST(PersonalDataTest, ShortKeysAreRefused) {
  EXPECT_FALSE(PersonalDataCipher::Create("too short").ok());
}

TEST(PersonalDataTest, Masks) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("5678"), "***8");
  EXPECT_EQ(MaskIdNumber("110101199003071234"), "1101**********1234");
  EXPECT_EQ(MaskIdNumber("11010119900307123X"), "1101**********123X");
  EXPECT_EQ(MaskName("张三丰"), "张*丰");
  EXPECT_EQ(MaskName("李四"), "李*");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧**娜");
  EXPECT_EQ(MaskName("Wang Fang"), "W*******g");
  EXPECT_EQ(MaskName("王"), "王");
  EXPECT_EQ(MaskPhone(""), "");
}

}  // namespace
}  // namespace grassroots
