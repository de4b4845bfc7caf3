#include "common/auth/principal_codec.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace grassroots {

absl::StatusOr<PrincipalCodec> PrincipalCodec::Create(std::string key) {
  if (key.size() < 32) {
    return absl::InvalidArgumentError(
        "configuration: the principal key must be at least 32 bytes long");
  }
  return PrincipalCodec(std::move(key));
}

std::string PrincipalCodec::Mac(absl::string_view payload) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &length);
  return std::string(reinterpret_cast<char*>(mac), length);
}

std::string PrincipalCodec::Sign(const common::v1::Principal& principal) const {
  std::string payload = principal.SerializeAsString();
  return absl::WebSafeBase64Escape(payload) + "." + absl::WebSafeBase64Escape(Mac(payload));
}

absl::StatusOr<common::v1::Principal> PrincipalCodec::Verify(absl::string_view token,
                                                             absl::Time now) const {
  const absl::Status refused = Unauthenticated("PRINCIPAL_INVALID", "caller is not authenticated");
  auto dot = token.find('.');
  if (token.empty() || dot == absl::string_view::npos) return refused;
  std::string payload, mac;
  if (!absl::WebSafeBase64Unescape(token.substr(0, dot), &payload) ||
      !absl::WebSafeBase64Unescape(token.substr(dot + 1), &mac)) {
    return refused;
  }
  const std::string expected = Mac(payload);
  if (mac.size() != expected.size() ||
      CRYPTO_memcmp(mac.data(), expected.data(), expected.size()) != 0) {
    return refused;
  }
  common::v1::Principal principal;
  if (!principal.ParseFromString(payload) || principal.id().empty()) return refused;
  if (absl::FromUnixSeconds(principal.expires_unix_seconds()) <= now) {
    return Unauthenticated("PRINCIPAL_EXPIRED", "caller's credentials have expired");
  }
  return principal;
}

}  // namespace grassroots
