#include "common/crypto/personal_data.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace grassroots {
namespace {

constexpr char kVersion = 1;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

std::string Hmac(absl::string_view key, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<char*>(out), size);
}

// UTF-8 characters of `text` (a lead byte and its continuation bytes).
std::vector<absl::string_view> Characters(absl::string_view text) {
  std::vector<absl::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i + 1;
    while (j < text.size() && (static_cast<unsigned char>(text[j]) & 0xC0) == 0x80) ++j;
    out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string KeepEnds(absl::string_view value, size_t head, size_t tail) {
  auto chars = Characters(value);
  if (chars.size() <= head + tail) {
    // Too short to show both ends: only the last character survives.
    std::string out(chars.size() > 1 ? chars.size() - 1 : 0, '*');
    if (!chars.empty()) absl::StrAppend(&out, chars.back());
    return out;
  }
  std::string out;
  for (size_t i = 0; i < head; ++i) absl::StrAppend(&out, chars[i]);
  out.append(chars.size() - head - tail, '*');
  for (size_t i = chars.size() - tail; i < chars.size(); ++i) absl::StrAppend(&out, chars[i]);
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PersonalDataCipher>> PersonalDataCipher::Create(
    absl::string_view master_key) {
  if (master_key.size() < 32) {
    return absl::InvalidArgumentError(
        "configuration: --personal-data-key must be at least 32 bytes");
  }
  std::unique_ptr<PersonalDataCipher> cipher(new PersonalDataCipher());
  cipher->encryption_key_ = Hmac(master_key, "grassroots personal data encryption v1");
  cipher->index_key_ = Hmac(master_key, "grassroots personal data index v1");
  return cipher;
}

std::string PersonalDataCipher::Encrypt(absl::string_view plaintext,
                                        absl::string_view context) const {
  std::string out(1 + kNonceBytes + plaintext.size() + kTagBytes, '\0');
  out[0] = kVersion;
  auto* nonce = reinterpret_cast<unsigned char*>(out.data() + 1);
  RAND_bytes(nonce, kNonceBytes);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int length = 0;
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                     reinterpret_cast<const unsigned char*>(encryption_key_.data()), nonce);
  EVP_EncryptUpdate(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(context.data()),
                    static_cast<int>(context.size()));
  auto* body = reinterpret_cast<unsigned char*>(out.data() + 1 + kNonceBytes);
  EVP_EncryptUpdate(ctx, body, &length, reinterpret_cast<const unsigned char*>(plaintext.data()),
                    static_cast<int>(plaintext.size()));
  EVP_EncryptFinal_ex(ctx, body + length, &length);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes,
                      out.data() + 1 + kNonceBytes + plaintext.size());
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

absl::StatusOr<std::string> PersonalDataCipher::Decrypt(absl::string_view ciphertext,
                                                        absl::string_view context) const {
  if (ciphertext.size() < 1 + kNonceBytes + kTagBytes || ciphertext[0] != kVersion) {
    return absl::DataLossError("personal data: not a ciphertext of this key version");
  }
  const size_t body_size = ciphertext.size() - 1 - kNonceBytes - kTagBytes;
  std::string plaintext(body_size, '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int length = 0;
  EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                     reinterpret_cast<const unsigned char*>(encryption_key_.data()),
                     reinterpret_cast<const unsigned char*>(ciphertext.data() + 1));
  EVP_DecryptUpdate(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(context.data()),
                    static_cast<int>(context.size()));
  EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(plaintext.data()), &length,
                    reinterpret_cast<const unsigned char*>(ciphertext.data() + 1 + kNonceBytes),
                    static_cast<int>(body_size));
  std::string tag(ciphertext.substr(1 + kNonceBytes + body_size));
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data());
  const bool authentic =
      EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(plaintext.data()) + length,
                          &length) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!authentic) {
    return absl::DataLossError("personal data: ciphertext altered, moved or under another key");
  }
  return plaintext;
}

std::string PersonalDataCipher::KeyedHash(absl::string_view kind,
                                          absl::string_view normalised_value) const {
  return absl::BytesToHexString(Hmac(index_key_, absl::StrCat(kind, ":", normalised_value)));
}

std::string MaskPhone(absl::string_view phone) { return KeepEnds(phone, 3, 4); }

std::string MaskIdNumber(absl::string_view id_number) { return KeepEnds(id_number, 4, 4); }

std::string MaskName(absl::string_view name) {
  auto chars = Characters(name);
  if (chars.size() <= 1) return std::string(name);
  if (chars.size() == 2) return absl::StrCat(chars[0], "*");
  return absl::StrCat(chars[0], std::string(chars.size() - 2, '*'), chars.back());
}

}  // namespace grassroots
