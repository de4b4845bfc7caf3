#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grassroots {

// Personal data at rest (names, phone numbers, ID numbers): encrypted with
// AES-256-GCM, and findable only by exact match through a keyed hash
// (HMAC-SHA256), so the database never holds a value in the clear and a
// stolen table cannot be searched by brute force without the key. Both keys
// are derived from one master key (--personal-data-key), so rotating it is
// one setting; the first byte of every ciphertext names the key version.
class PersonalDataCipher {
 public:
  // INVALID_ARGUMENT unless the master key has at least 32 bytes.
  static absl::StatusOr<std::unique_ptr<PersonalDataCipher>> Create(absl::string_view master_key);

  // version (1 byte) | nonce (12) | ciphertext | tag (16). `context` (the
  // record id and field) is authenticated: a ciphertext moved to another
  // record or field does not decrypt.
  std::string Encrypt(absl::string_view plaintext, absl::string_view context) const;
  // DATA_LOSS when the bytes were altered, moved or made under another key.
  absl::StatusOr<std::string> Decrypt(absl::string_view ciphertext,
                                      absl::string_view context) const;

  // Hex HMAC-SHA256 of the value under the index key, for exact-match lookup.
  // `kind` ("phone", "id_number") keeps equal values of different kinds apart.
  std::string KeyedHash(absl::string_view kind, absl::string_view normalised_value) const;

 private:
  PersonalDataCipher() = default;
  std::string encryption_key_;  // 32 bytes
  std::string index_key_;       // 32 bytes
};

// Masked forms shown wherever personal data is listed.
// "13812345678" -> "138****5678"; short values keep only their last digit.
std::string MaskPhone(absl::string_view phone);
// "110101199003071234" -> "1101**********1234".
std::string MaskIdNumber(absl::string_view id_number);
// "张三丰" -> "张*丰", "李四" -> "李*", "Wang Fang" -> "W*******g" (by characters).
std::string MaskName(absl::string_view name);

}  // namespace grassroots
